import { SCANNER_LISTS, type ServerMessageType } from '@scanner/shared-types';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type SnapshotSource = 'memory' | 'redis';

/**
 * Every metric of one server instance, on its own Registry (never prom-client's global one), so two
 * servers in one process (the multi-node test) do not collide. Default process metrics, event-loop
 * delay included (nodejs_eventloop_lag_*), are collected on the same private registry.
 */
export class ServerMetrics {
  readonly registry = new Registry();

  readonly connections = new Gauge({ name: 'scanner_ws_connections', help: 'Open WebSocket connections', registers: [this.registry] });
  readonly connectionsOpened = new Counter({
    name: 'scanner_ws_connections_opened_total',
    help: 'WebSocket connections accepted',
    registers: [this.registry],
  });
  readonly upgradesRefused = new Counter({
    name: 'scanner_ws_upgrades_refused_total',
    help: 'WebSocket upgrades refused, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly subscriptions = new Gauge({
    name: 'scanner_ws_subscriptions',
    help: 'Subscriptions per list',
    labelNames: ['list'] as const,
    registers: [this.registry],
  });
  readonly messagesOut = new Counter({
    name: 'scanner_ws_messages_sent_total',
    help: 'Frames sent to clients, by message type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });
  readonly bytesOut = new Counter({
    name: 'scanner_ws_bytes_sent_total',
    help: 'Payload bytes sent to clients, by message type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });
  readonly messagesIn = new Counter({
    name: 'scanner_ws_messages_received_total',
    help: 'Client frames received, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly clientErrors = new Counter({
    name: 'scanner_ws_client_errors_total',
    help: 'Error messages sent to clients, by code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly closes = new Counter({
    name: 'scanner_ws_server_closes_total',
    help: 'Connections the server closed or terminated, by reason',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly broadcastDuration = new Histogram({
    name: 'scanner_ws_broadcast_duration_seconds',
    help: 'Time to fan one list update out to its subscribers',
    labelNames: ['kind'] as const,
    buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  readonly snapshotSource = new Counter({
    name: 'scanner_ws_snapshot_source_total',
    help: 'Snapshots served to subscribers, by where the state came from',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });
  readonly listLoads = new Counter({
    name: 'scanner_ws_list_loads_total',
    help: 'Reads of a list from Redis, by reason and outcome',
    labelNames: ['reason', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly slowConsumer = new Counter({
    name: 'scanner_ws_slow_consumer_actions_total',
    help: 'Slow-consumer actions: lagging (deltas withheld), recovered (fresh snapshots sent), closed (4008)',
    labelNames: ['action'] as const,
    registers: [this.registry],
  });
  readonly newDayApplied = new Counter({
    name: 'scanner_ws_new_day_applied_total',
    help: 'New trading days applied, by what announced them',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });
  readonly streamEntries = new Counter({
    name: 'scanner_ws_stream_entries_total',
    help: 'Entries read from stream:ranking:deltas, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  readonly streamEntriesInvalid = new Counter({
    name: 'scanner_ws_stream_entries_invalid_total',
    help: 'Stream entries that failed to decode, by code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly newDayMessagesInvalid = new Counter({
    name: 'scanner_ws_new_day_messages_invalid_total',
    help: 'trading:new_day messages that failed to decode',
    registers: [this.registry],
  });
  private cachedListCount: () => number = () => 0;
  // Read at scrape time, so no code path that changes lastSnapshots can leave it stale.
  readonly cachedLists: Gauge = new Gauge({
    name: 'scanner_ws_cached_lists',
    help: 'Lists held in lastSnapshots',
    registers: [this.registry],
    collect: (): void => this.cachedLists.set(this.cachedListCount()),
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    for (const list of SCANNER_LISTS) this.subscriptions.labels(list).set(0);
    for (const source of ['memory', 'redis'] as const) this.snapshotSource.labels(source).inc(0);
    for (const action of ['lagging', 'recovered', 'closed'] as const) this.slowConsumer.labels(action).inc(0);
  }

  /** Where scanner_ws_cached_lists is read from. */
  measureCachedLists(count: () => number): void {
    this.cachedListCount = count;
  }

  countSent(type: ServerMessageType, bytes: number): void {
    this.messagesOut.labels(type).inc();
    this.bytesOut.labels(type).inc(bytes);
  }
}
