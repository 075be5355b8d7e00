import { ContractViolationError } from '../../../generated/redis';
import type { Fence, StreamLog } from '../ports';
import { DONE_ENTRY } from './stream-log';

type Validator = ((data: unknown) => boolean) & { errors?: unknown };

/**
 * The producing side of one stream: validates each event against its schema, then appends it
 * to the log. Nothing off-contract ever reaches the log, so replays can be written raw.
 *
 * `alreadyLogged` makes a continuation idempotent: when an instance takes over a run whose
 * owner died part-way through a deterministic sequence, it replays the same sequence and the
 * events the log already has (same names, same order) are skipped instead of appended twice.
 */
export class LogEmitter<E extends object> {
  private pos = 0;

  constructor(
    private readonly log: StreamLog,
    readonly streamId: string,
    private readonly validators: Readonly<Record<string, Validator>>,
    /** The run's lease: appends fail (FencedError) once another instance holds it. */
    private readonly fence: Fence,
    private readonly alreadyLogged: readonly string[] = [],
  ) {}

  async emit<K extends keyof E & string>(event: K, data: E[K]): Promise<number | null> {
    const v = this.validators[event];
    if (!v) throw new ContractViolationError(`SSE event ${event}`, 'not an event of this stream');
    if (!v(data)) throw new ContractViolationError(`SSE event ${event}`, v.errors);
    if (this.pos < this.alreadyLogged.length) {
      if (this.alreadyLogged[this.pos] === event) {
        this.pos++;
        return null;
      }
      // The sequence diverged from what was logged: from here on everything is new.
      this.pos = this.alreadyLogged.length;
    }
    return this.log.append(this.streamId, event, JSON.stringify(data), this.fence);
  }

  /** True when `event` is the next one the log already has (the continuation has not passed it yet). */
  alreadyHas(event: string): boolean {
    return this.alreadyLogged[this.pos] === event;
  }

  /** Passes over the logged entries named `event` at the current position (a partly written sequence); how many. */
  skipLogged(event: string): number {
    let n = 0;
    while (this.pos < this.alreadyLogged.length && this.alreadyLogged[this.pos] === event) {
      this.pos++;
      n++;
    }
    return n;
  }

  async finish(): Promise<void> {
    if (this.alreadyLogged.includes(DONE_ENTRY)) return;
    await this.log.finish(this.streamId, this.fence);
  }
}
