import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TcpProxy, TcpProxyError } from './tcp-proxy.js';

/** A client socket that records what it received and how it ended. */
interface Peer {
  readonly socket: Socket;
  received(): string;
  readonly ended: Promise<'closed' | 'error'>;
}

/** A connection that may be reset before or after it is established. */
function attempt(port: number): Peer {
  const socket = connect({ host: '127.0.0.1', port });
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<'closed' | 'error'>((resolve) => {
    let failed = false;
    socket.on('error', () => {
      failed = true;
    });
    socket.on('close', () => resolve(failed ? 'error' : 'closed'));
  });
  return { socket, received: () => Buffer.concat(chunks).toString(), ended };
}

function open(port: number): Promise<Peer> {
  const peer = attempt(port);
  return new Promise((resolve, reject) => {
    peer.socket.once('connect', () => resolve(peer));
    peer.socket.once('error', reject);
  });
}

async function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 3_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Sends `text` and waits until the echo of everything sent so far has come back. */
async function echo(peer: Peer, text: string): Promise<void> {
  const before = peer.received().length;
  peer.socket.write(text);
  await until(`the echo of ${JSON.stringify(text)}`, () => peer.received().length >= before + text.length);
}

/** Whether the peer's socket ends within `ms` (false: it is still open). */
async function endsWithin(peer: Peer, ms: number): Promise<boolean> {
  return Promise.race([peer.ended.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);
}

describe('TcpProxy (against a local echo server)', () => {
  let echoServer: Server;
  let serverSockets: Socket[];
  let proxy: TcpProxy;
  const peers: Peer[] = [];

  beforeEach(async () => {
    serverSockets = [];
    echoServer = createServer((socket) => {
      serverSockets.push(socket);
      socket.on('error', () => undefined);
      socket.pipe(socket);
    });
    await new Promise<void>((resolve) => echoServer.listen(0, '127.0.0.1', resolve));
    proxy = await TcpProxy.start({ targetHost: '127.0.0.1', targetPort: (echoServer.address() as AddressInfo).port });
  });

  afterEach(async () => {
    for (const peer of peers.splice(0)) peer.socket.destroy();
    await proxy.close();
    for (const socket of serverSockets) socket.destroy();
    await new Promise<void>((resolve) => echoServer.close(() => resolve()));
  });

  const connectPeer = async () => {
    const peer = await open(proxy.port);
    peers.push(peer);
    return peer;
  };

  it('forwards bytes both ways in order and counts connections and bytes', async () => {
    const a = await connectPeer();
    const b = await connectPeer();
    const words = Array.from({ length: 50 }, (_, i) => `a${i};`);
    for (const word of words) a.socket.write(word);
    await echo(b, 'hello');
    await until('all of a', () => a.received().length === words.join('').length);
    expect(a.received()).toBe(words.join(''));
    expect(b.received()).toBe('hello');
    const counters = proxy.counters;
    expect(counters.accepted).toBe(2);
    expect(counters.active).toBe(2);
    expect(counters.bytesToServer).toBe(words.join('').length + 5);
    expect(counters.bytesToClient).toBe(words.join('').length + 5);
    expect(counters.refused).toBe(0);
    expect(counters.destroyed).toBe(0);
  });

  it('cut() resets every open connection and refuses new ones until restore()', async () => {
    const a = await connectPeer();
    await echo(a, 'before');
    proxy.cut();
    expect(await a.ended).toBe('error');
    expect(proxy.counters.destroyed).toBe(1);
    await until('the echo server to see the reset', () => serverSockets.every((s) => s.destroyed));

    // A new connection is accepted by the OS and reset at once: nothing it sends comes back.
    const refused = attempt(proxy.port);
    refused.socket.write('lost');
    await refused.ended;
    expect(refused.received()).toBe('');
    expect(proxy.counters.refused).toBe(1);

    proxy.restore();
    const b = await connectPeer();
    await echo(b, 'after');
    expect(b.received()).toBe('after');
    expect(proxy.counters.accepted).toBe(3);
  });

  it("cut('hold') keeps new connections silent, then forwards what they sent once restored", async () => {
    proxy.cut('hold');
    const held = await connectPeer();
    held.socket.write('queued');
    expect(await endsWithin(held, 150)).toBe(false);
    expect(held.received()).toBe('');
    expect(serverSockets).toHaveLength(0);

    proxy.restore();
    await until('the held bytes to come back', () => held.received() === 'queued');
    await echo(held, '+more');
    expect(held.received()).toBe('queued+more');
  });

  it('delay(ms) holds every chunk back by at least ms each way and keeps the order', async () => {
    const a = await connectPeer();
    await echo(a, 'warm');
    proxy.delay(80);
    const started = performance.now();
    for (let i = 0; i < 20; i++) a.socket.write(`${i},`);
    const expected = `warm${Array.from({ length: 20 }, (_, i) => `${i},`).join('')}`;
    await until('the delayed echo', () => a.received() === expected);
    // Two hops (to the server and back), each delayed: a lower bound, never an upper one. setTimeout may
    // fire up to a millisecond early, hence the small allowance.
    expect(performance.now() - started).toBeGreaterThanOrEqual(2 * 80 - 4);

    proxy.delay(0);
    await echo(a, 'fast');
    expect(a.received()).toBe(`${expected}fast`);
    expect(() => proxy.delay(-1)).toThrow(expect.objectContaining({ code: 'INVALID_DELAY' }));
    expect(() => proxy.delay(Number.NaN)).toThrow(TcpProxyError);
  });

  it('dropMidReply() lets half of the next reply through, then destroys only that connection, once', async () => {
    const a = await connectPeer();
    const b = await connectPeer();
    await echo(b, 'b-ok');
    const dropped = proxy.dropMidReply();
    a.socket.write('0123456789');
    const report = await dropped;
    expect(report).toEqual({ chunkBytes: 10, deliveredBytes: 5 });
    // Reset or end of stream, as the client's kernel reports it: either way the reply stops at half.
    await a.ended;
    expect(a.received()).toBe('01234');
    expect(proxy.counters.drops).toBe(1);

    // The other connection and new ones are untouched: the fault fires once.
    await echo(b, '-still');
    expect(b.received()).toBe('b-ok-still');
    const c = await connectPeer();
    await echo(c, '0123456789');
    expect(c.received()).toBe('0123456789');

    // minBytes lets smaller replies through untouched and cuts the first big one.
    const big = proxy.dropMidReply({ minBytes: 8 });
    await echo(c, 'ok');
    c.socket.write('abcdefghij');
    expect(await big).toEqual({ chunkBytes: 10, deliveredBytes: 5 });
    await c.ended;
    expect(c.received()).toBe('0123456789okabcde');
    expect(() => proxy.dropMidReply({ minBytes: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_MIN_BYTES' }));
    expect(() => {
      void proxy.dropMidReply();
      void proxy.dropMidReply();
    }).toThrow(expect.objectContaining({ code: 'DROP_ALREADY_ARMED' }));
  });

  it('forwards the end of either side after what it sent, and close() resets the rest', async () => {
    const a = await connectPeer();
    await echo(a, 'x');
    a.socket.end();
    expect(await a.ended).toBe('closed');
    await until('the link to go', () => proxy.counters.active === 0);
    expect(proxy.counters.destroyed).toBe(0);

    const b = await connectPeer();
    await echo(b, 'y');
    await proxy.close();
    expect(await b.ended).toBe('error');
    await expect(open(proxy.port).then((p) => p.ended)).rejects.toThrow();
  });
});
