import { createRedis } from '../../shared/redis/connection';
import type { RedisTarget } from '../../shared/redis/options';
import { WORKBENCH_PATTERN } from '../../../generated/redis';
import type { Logger } from '../../shared/logger';
import type { WorkbenchHandler } from './ingest';
import type { OutboxReaderStatus } from './outbox-reader';

export interface SubscriberStatus {
  subscribed: boolean;
  /** How many times the subscription was re-established after a lost connection. */
  resubscriptions: number;
  /** The workbench outbox reader that fills what the subscription missed, when there is one. */
  outbox?: OutboxReaderStatus;
}

export interface WorkbenchSubscriber {
  status(): SubscriberStatus;
  /** Resolves once subscribed (or rejects after the bounded wait). */
  ready(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * One dedicated connection with PSUBSCRIBE `WORKBENCH_PATTERN`. ioredis reconnects forever; on every
 * `ready` we subscribe again ourselves (autoResubscribe off), so `subscribed` in health means a
 * confirmed subscription, not a hope. Pub/sub does not buffer: what is published while the
 * connection is down is read from the workbench outbox instead (`onSubscribed` starts that).
 */
export function startWorkbenchSubscriber(opts: {
  /** A server URL, or the Sentinel target (`RedisTarget`). */
  redisUrl: string | RedisTarget;
  logger: Logger;
  onMessage: WorkbenchHandler;
  connectionName?: string;
  /** Called after every confirmed (re)subscription. */
  onSubscribed?: () => void;
}): WorkbenchSubscriber {
  const log = opts.logger;
  let subscribed = false;
  let everSubscribed = false;
  let resubscriptions = 0;
  let closing = false;
  const waiters = new Set<() => void>();
  const redis = createRedis(opts.redisUrl, opts.connectionName ?? 'main-workbench-sub', log, { autoResubscribe: false, maxRetriesPerRequest: null });
  redis.on('close', () => {
    if (subscribed) log.warn('workbench subscriber: connection lost; what is published meanwhile is read from the outbox once it is back');
    subscribed = false;
  });
  redis.on('ready', () => {
    redis.psubscribe(WORKBENCH_PATTERN).then(
      () => {
        if (everSubscribed) resubscriptions++;
        everSubscribed = true;
        subscribed = true;
        log.info({ pattern: WORKBENCH_PATTERN, resubscriptions }, 'workbench subscriber: subscribed');
        for (const w of waiters) w();
        waiters.clear();
        opts.onSubscribed?.();
      },
      (err: Error) => log.warn({ err: err.message }, 'workbench subscriber: PSUBSCRIBE failed'),
    );
  });
  redis.on('pmessageBuffer', (_pattern: Buffer, channel: Buffer, message: Buffer) => {
    // disconnect() ends the socket gracefully, so messages can still arrive after close():
    // they belong to whoever runs next (which reads them from the outbox).
    if (closing) return;
    void opts.onMessage(channel.toString('utf8'), message);
  });
  return {
    status: () => ({ subscribed, resubscriptions }),
    ready(timeoutMs = 5000) {
      if (subscribed) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => {
          waiters.delete(done);
          reject(new Error('workbench subscriber: not subscribed in time'));
        }, timeoutMs);
        const done = () => {
          clearTimeout(t);
          resolve();
        };
        waiters.add(done);
      });
    },
    async close() {
      if (closing) return;
      closing = true;
      subscribed = false;
      redis.disconnect();
    },
  };
}
