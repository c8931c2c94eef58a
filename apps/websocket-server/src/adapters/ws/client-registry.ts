import type { ScannerList } from '@scanner/shared-types';
import type { ServerMetrics } from '../http/server-metrics.js';
import type { ClientConnection } from './client-connection.js';

/** Every open connection, and per list the connections subscribed to it, so a broadcast touches only those. */
export class ClientRegistry {
  private readonly clients = new Set<ClientConnection>();
  private readonly byList = new Map<ScannerList, Set<ClientConnection>>();

  constructor(private readonly metrics: ServerMetrics) {}

  get size(): number {
    return this.clients.size;
  }

  add(client: ClientConnection): void {
    this.clients.add(client);
    this.metrics.connections.set(this.clients.size);
  }

  remove(client: ClientConnection): void {
    if (!this.clients.delete(client)) return;
    for (const list of client.subscriptions.lists()) this.unindex(client, list);
    this.metrics.connections.set(this.clients.size);
  }

  index(client: ClientConnection, list: ScannerList): void {
    let set = this.byList.get(list);
    if (set === undefined) {
      set = new Set();
      this.byList.set(list, set);
    }
    set.add(client);
    this.metrics.subscriptions.labels(list).set(set.size);
  }

  unindex(client: ClientConnection, list: ScannerList): void {
    const set = this.byList.get(list);
    if (set === undefined) return;
    set.delete(client);
    this.metrics.subscriptions.labels(list).set(set.size);
  }

  subscribersOf(list: ScannerList): ReadonlySet<ClientConnection> {
    return this.byList.get(list) ?? EMPTY;
  }

  hasSubscribers(list: ScannerList): boolean {
    return (this.byList.get(list)?.size ?? 0) > 0;
  }

  all(): IterableIterator<ClientConnection> {
    return this.clients.values();
  }
}

const EMPTY: ReadonlySet<ClientConnection> = new Set();
