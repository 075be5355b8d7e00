import type Redis from 'ioredis';
import type { Subscriber } from '../ports';

/** Subscriber over an ioredis connection in subscriber mode (ioredis resubscribes by itself after a reconnect). */
export class RedisSubscriber implements Subscriber {
  constructor(private readonly sub: Redis) {}

  subscribe(...channels: string[]): Promise<unknown> {
    return this.sub.subscribe(...channels);
  }

  unsubscribe(channel: string): Promise<unknown> {
    return this.sub.unsubscribe(channel);
  }

  onMessage(listener: (channel: string, message: string) => void): void {
    this.sub.on('message', listener);
  }

  onReady(listener: () => void): void {
    this.sub.on('ready', listener);
  }
}
