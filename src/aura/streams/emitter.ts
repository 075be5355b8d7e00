import { ContractViolationError } from '../../../generated/redis';
import type { StreamLog } from './stream-log';

type Validator = ((data: unknown) => boolean) & { errors?: unknown };

/**
 * The producing side of one stream: validates each event against its schema, then appends it
 * to the log. Nothing off-contract ever reaches the log, so replays can be written raw.
 */
export class LogEmitter<E extends object> {
  constructor(
    private readonly log: StreamLog,
    readonly streamId: string,
    private readonly validators: Readonly<Record<string, Validator>>,
  ) {}

  async emit<K extends keyof E & string>(event: K, data: E[K]): Promise<number> {
    const v = this.validators[event];
    if (!v) throw new ContractViolationError(`SSE event ${event}`, 'not an event of this stream');
    if (!v(data)) throw new ContractViolationError(`SSE event ${event}`, v.errors);
    return this.log.append(this.streamId, event, JSON.stringify(data));
  }

  finish(): Promise<number> {
    return this.log.finish(this.streamId);
  }
}
