import WebSocket from 'ws';
import type { ScannerList } from '@scanner/shared-types';
import { type ConnectionState, ScannerClient, type ScannerClientErrorEvent, type ScannerClientOptions, type TableUpdate } from '../../src/index.js';
import type { World } from './world.js';

export interface RecordedClient {
  readonly client: ScannerClient;
  readonly tables: TableUpdate[];
  readonly errors: ScannerClientErrorEvent[];
  readonly newDays: string[];
  readonly states: ConnectionState[];
  /** [kind, epoch, sequence] of every table update of one list, in order. */
  history(list: ScannerList): [TableUpdate['kind'], string | null, number | null][];
}

/** A started client with short reconnect delays, every event recorded, stopped at the world's cleanup. */
export function startClient(world: World, options: Partial<ScannerClientOptions> & { url: string }): RecordedClient {
  const client = new ScannerClient({
    lists: ['winners'],
    // The real `ws` class, passed as is: it must fit WebSocketConstructorLike without a cast.
    WebSocket,
    reconnect: { baseMs: 50, maxMs: 300, throttleMs: 0 },
    pingIntervalMs: 1_000,
    silenceTimeoutMs: 5_000,
    ...options,
  });
  const recorded: RecordedClient = {
    client,
    tables: [],
    errors: [],
    newDays: [],
    states: [],
    history: (list) => recorded.tables.filter((u) => u.table.list === list).map((u) => [u.kind, u.table.epoch, u.table.sequence]),
  };
  client.on('table', (u) => recorded.tables.push(u));
  client.on('error', (e) => recorded.errors.push(e));
  client.on('new_day', (e) => recorded.newDays.push(e.epoch));
  client.on('state', (s) => recorded.states.push(s));
  world.onCleanup(() => client.stop());
  client.start();
  return recorded;
}
