import type * as S from '../../../generated/schemas';

export type NotificationListener = (item: S.NotificationItem) => void;

/** In-process fan-out of stored notifications to the open streams of their tenant. */
export class NotificationHub {
  private readonly byTenant = new Map<string, Set<NotificationListener>>();
  private readonly closers = new Set<() => void>();

  subscribe(tenantId: string, listener: NotificationListener): () => void {
    let set = this.byTenant.get(tenantId);
    if (!set) this.byTenant.set(tenantId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.byTenant.delete(tenantId);
    };
  }

  /** Registers what ends an open stream when the service shuts down. */
  onClose(fn: () => void): () => void {
    this.closers.add(fn);
    return () => this.closers.delete(fn);
  }

  /** Ends every open stream (shutdown: hijacked SSE responses would otherwise hold the server open). */
  close(): void {
    for (const fn of [...this.closers]) fn();
    this.closers.clear();
  }

  publish(item: S.NotificationItem): void {
    for (const l of this.byTenant.get(item.tenantId) ?? []) l(item);
  }

  listeners(tenantId: string): number {
    return this.byTenant.get(tenantId)?.size ?? 0;
  }
}
