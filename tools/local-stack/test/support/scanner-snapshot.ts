/**
 * A real client of the websocket-server: subscribes to a list and waits for a snapshot with rows.
 * Node 20's WebSocket (behind --experimental-websocket, set in vitest.config.ts for this package).
 */

export interface Snapshot {
  readonly list: string;
  readonly epoch: string;
  readonly sequence: number;
  readonly rows: ReadonlyArray<{ readonly symbol: string; readonly rank: number }>;
}

export function snapshotWithRows(url: string, list: string, timeoutMs: number): Promise<Snapshot> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    let lastEmpty: Snapshot | null = null;
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      clearInterval(resync);
      socket.close();
      settle();
    };
    const timer = setTimeout(
      () => finish(() => reject(new Error(`no snapshot of ${list} with rows within ${timeoutMs} ms (last: ${JSON.stringify(lastEmpty)})`))),
      timeoutMs,
    );
    // The feed may not have written its first snapshot yet: ask again until it has.
    const resync = setInterval(() => {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ action: 'resync', list }));
    }, 1000);
    socket.addEventListener('open', () => socket.send(JSON.stringify({ action: 'subscribe_list', list })));
    socket.addEventListener('error', () => finish(() => reject(new Error(`WebSocket error on ${url}`))));
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as { type?: string } & Partial<Snapshot>;
      if (message.type !== 'snapshot' || message.list !== list) return;
      const snapshot = message as Snapshot;
      if (snapshot.rows.length > 0) finish(() => resolve(snapshot));
      else lastEmpty = snapshot;
    });
  });
}
