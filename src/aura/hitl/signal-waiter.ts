import type { HitlSignal } from '../../../generated/schemas';
import { ContractViolationError, hitlChannelAddress, parseHitlChannelMessage } from '../../../generated/redis';
import type { Logger } from '../../shared/logger';
import type { HitlWaits, Subscriber } from '../ports';

export interface Waiter {
  /** Resolves with the decision for this request (never for another request of the session). */
  readonly decision: Promise<HitlSignal>;
  /** Reads the stored signal (a decision made before the subscription existed). */
  checkStored(): Promise<void>;
  cancel(): void;
}

interface Entry {
  sessionId: string;
  requestId: string;
  resolve: (s: HitlSignal) => void;
}

/**
 * Waits for HITL decisions over one shared subscriber connection per process. Subscribing comes
 * first; the stored signal (`hitlSignalKey`) is read after, and again after every reconnect, because a
 * publish that happens while nobody is subscribed is gone.
 */
export class SignalWaiter {
  private readonly byChannel = new Map<string, Set<Entry>>();
  private connectedOnce = false;

  constructor(
    private readonly sub: Subscriber,
    private readonly stored: Pick<HitlWaits, 'signal'>,
    private readonly logger: Logger,
  ) {
    sub.onMessage((channel, raw) => this.onMessage(channel, raw));
    sub.onReady(() => {
      if (this.connectedOnce) void this.afterReconnect();
      this.connectedOnce = true;
    });
  }

  async wait(sessionId: string, requestId: string): Promise<Waiter> {
    const channel = hitlChannelAddress({ sessionId });
    let resolve!: (s: HitlSignal) => void;
    const decision = new Promise<HitlSignal>((r) => (resolve = r));
    const entry: Entry = { sessionId, requestId, resolve };
    let set = this.byChannel.get(channel);
    if (!set) {
      set = new Set();
      this.byChannel.set(channel, set);
    }
    set.add(entry);
    try {
      await this.sub.subscribe(channel);
    } catch (err) {
      this.remove(channel, entry);
      throw err;
    }
    return {
      decision,
      checkStored: () => this.checkStored(sessionId),
      cancel: () => this.remove(channel, entry),
    };
  }

  /** Sessions someone in this process is waiting on. */
  get waitingSessions(): string[] {
    return [...new Set([...this.byChannel.values()].flatMap((s) => [...s].map((e) => e.sessionId)))];
  }

  private deliver(sessionId: string, signal: HitlSignal): void {
    const channel = hitlChannelAddress({ sessionId });
    for (const entry of [...(this.byChannel.get(channel) ?? [])]) {
      if (entry.requestId !== signal.requestId) continue; // another request's decision
      this.remove(channel, entry);
      entry.resolve(signal);
    }
  }

  private onMessage(channel: string, raw: string): void {
    const set = this.byChannel.get(channel);
    if (!set?.size) return;
    let signal: HitlSignal;
    try {
      signal = parseHitlChannelMessage(raw);
    } catch (err) {
      this.logger.warn({ channel, err: (err as Error).message }, 'ignoring an off-contract HITL signal');
      return;
    }
    this.deliver([...set][0].sessionId, signal);
  }

  private async checkStored(sessionId: string): Promise<void> {
    let signal: HitlSignal | null;
    try {
      signal = await this.stored.signal(sessionId);
    } catch (err) {
      if (!(err instanceof ContractViolationError)) throw err;
      this.logger.warn({ sessionId, err: err.message }, 'ignoring an off-contract stored HITL signal');
      return;
    }
    if (signal) this.deliver(sessionId, signal);
  }

  private async afterReconnect(): Promise<void> {
    const channels = [...this.byChannel.keys()];
    if (!channels.length) return;
    try {
      // The connection resubscribes by itself, but only our own SUBSCRIBE reply proves the subscription
      // is back before we read the stored signals; anything published earlier is in the store.
      await this.sub.subscribe(...channels);
      await Promise.all(this.waitingSessions.map((s) => this.checkStored(s)));
      this.logger.info({ sessions: channels.length }, 'HITL subscriber reconnected; stored signals re-checked');
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'HITL re-check after reconnect failed');
    }
  }

  private remove(channel: string, entry: Entry): void {
    const set = this.byChannel.get(channel);
    if (!set) return;
    set.delete(entry);
    if (set.size === 0) {
      this.byChannel.delete(channel);
      this.sub.unsubscribe(channel).catch(() => undefined);
    }
  }
}
