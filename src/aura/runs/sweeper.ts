import type { Logger } from '../../shared/logger';

/** Something whose orphaned runs can be claimed and continued (agent runs, analysis runs). */
export interface Sweepable {
  /** Claims runs whose lease lapsed and starts continuing them; resolves once claimed. */
  adoptLapsed(): Promise<void>;
}

/**
 * One per process: periodically lets each runner adopt runs whose owner stopped renewing
 * its lease, so a run goes on (and its CASE_ACTION is published) even when no client
 * reconnects to it. Stops with the app, so a closed instance claims nothing more.
 */
export class Sweeper {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  private stopped = false;
  private running = false;

  constructor(
    private readonly sources: Sweepable[],
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
    this.tick();
  }

  /** Runs one sweep now unless one is under way; resolves when that sweep is done. */
  tick(): Promise<void> {
    if (this.stopped || this.running) return this.inFlight;
    this.running = true;
    this.inFlight = (async () => {
      for (const s of this.sources) {
        if (this.stopped) return;
        await s.adoptLapsed().catch((err: Error) => this.logger.warn({ err: err.message }, 'sweep failed'));
      }
    })().finally(() => (this.running = false));
    return this.inFlight;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.inFlight;
  }
}
