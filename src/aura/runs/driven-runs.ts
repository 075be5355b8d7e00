import type { Logger } from '../../shared/logger';
import type { Fence, Lease, RunLeases } from '../ports';
import { FencedError } from '../streams/stream-log';
import type { Sweepable } from './sweeper';

/**
 * After a drive: a finished run leaves the lease and the live index; an unfinished one keeps them
 * and its lease lapses, so a sweeper retries it. Never throws (the caller is a background task).
 */
async function releaseLease(lease: Lease, done: boolean, onError: (err: Error) => void): Promise<void> {
  try {
    if (done) await lease.finish();
    else lease.stop();
  } catch (err) {
    lease.stop();
    onError(err as Error);
  }
}

/** Thrown by a run's body when its signal is aborted (shut down, or the lease was lost). */
export class Aborted extends Error {}

export interface DrivenRunsOptions {
  leases: RunLeases;
  logger: Logger;
  /** For log lines: "agent run", "analysis run". */
  kind: string;
  /** How a run adopted from an instance that stopped goes on (appending under `fence`). */
  continueRun(id: string, signal: AbortSignal, fence: Fence): Promise<void>;
  /**
   * A run's body failed (not aborted, not fenced). Resolves true when the run was ended all the
   * same (its lease is then released), false to leave the lease to lapse for a sweeper's retry.
   */
  onFailure(id: string, err: Error, fence: Fence): Promise<boolean>;
}

/** A fresh run's lease, taken before the run is recorded. */
export interface Claim {
  ac: AbortController;
  lease: Lease;
}

/**
 * The runs this process drives, each under its lease: starting them, adopting runs whose owner
 * stopped renewing (the sweeper's entry), handing them all over at shutdown, and ending each
 * drive the same way (release when done, let the lease lapse when not). Agent and analysis
 * runs differ only in their bodies.
 */
export class DrivenRuns implements Sweepable {
  private readonly active = new Map<string, Claim>();
  private closed = false;

  constructor(private readonly o: DrivenRunsOptions) {}

  /** Takes a fresh run's lease; null when someone holds it. */
  async acquire(id: string): Promise<Claim | null> {
    const ac = new AbortController();
    const lease = await this.o.leases.acquire(id, () => ac.abort());
    return lease ? { ac, lease } : null;
  }

  /**
   * Drives `body` under the claim in the background. The body appends under the claim's fence,
   * handed to it rather than looked up: once close() has handed the lease over, nothing this
   * process still writes may land in a run another instance drives.
   */
  drive(id: string, claim: Claim, body: (signal: AbortSignal, fence: Fence) => Promise<void>): void {
    const { ac, lease } = claim;
    const { logger, kind } = this.o;
    this.active.set(id, claim);
    void (async () => {
      let done = false;
      try {
        await body(ac.signal, lease.fence);
        done = true;
      } catch (err) {
        // Aborted: shut down (lease handed over) or lease lost (someone else drives it now).
        // Fenced: the lease passed to another instance while this one was not looking (a pause
        // longer than the lease); that instance drives the run, this one only stops.
        if (err instanceof FencedError) {
          logger.warn({ id }, `${kind} taken over by another instance; stopped driving it`);
          ac.abort();
        } else if (!(err instanceof Aborted) && !ac.signal.aborted) done = await this.o.onFailure(id, err as Error, lease.fence);
      }
      await releaseLease(lease, done, (err) => logger.warn({ err: err.message, id }, `could not release a finished ${kind}`));
      if (this.active.get(id)?.ac === ac) this.active.delete(id);
    })();
  }

  /** The sweeper's entry: claim runs whose owner stopped renewing, and continue them. */
  async adoptLapsed(): Promise<void> {
    if (this.closed) return;
    for (const id of await this.o.leases.due(50)) {
      if (this.closed) return;
      if (this.active.has(id)) continue; // ours, renewals just late; never drive a run twice
      const ac = new AbortController();
      const lease = await this.o.leases.claim(id, () => ac.abort());
      if (!lease) continue; // another instance was first
      if (this.closed) {
        await lease.handOver();
        return;
      }
      this.o.logger.info({ id }, `adopting an ${this.o.kind} whose owner stopped`);
      this.drive(id, { ac, lease }, (signal, fence) => this.o.continueRun(id, signal, fence));
    }
  }

  /** Stops driving runs in this process (graceful shutdown): leases stop renewing and are handed over. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.active.values()];
    this.active.clear();
    for (const a of all) a.ac.abort();
    await Promise.all(all.map((a) => a.lease.handOver().catch(() => a.lease.stop())));
  }
}
