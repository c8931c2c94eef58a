import { randomBytes } from 'node:crypto';
import type { FuzzCase } from './frame-fuzzer.js';
import { expectedReplies } from './frame-fuzzer-plan.js';
import { RawWsConnection } from './ws-raw-framer-socket.js';
import { OPCODES, closePayload, encodeFrame } from './ws-raw-framer.js';

/** What one fuzzing connection saw, and every way it differed from what its cases expect. */
export interface SessionOutcome {
  readonly cases: number;
  readonly frames: number;
  readonly bytes: number;
  readonly replies: number;
  readonly pongs: number;
  /** The close code the server sent (1005 for an empty close frame), or null when it sent none. */
  readonly closeCode: number | null;
  readonly problems: readonly string[];
  readonly ms: number;
}

const describeCase = (c: FuzzCase) => `case ${c.id} (${c.category}${c.fragmented ? ', fragmented' : ''})`;

/**
 * Plays one session (planSessions) on its own raw connection: the greeting, every case's frames, then
 * either the closing case or a clean close (1000). Checks the text replies in order against the cases,
 * every ping's pong, and the close code.
 */
export async function runFuzzSession(url: string, session: readonly FuzzCase[], timeoutMs = 10_000): Promise<SessionOutcome> {
  const problems: string[] = [];
  const started = performance.now();
  const opened = await RawWsConnection.open(url, { timeoutMs });
  if (opened.kind === 'refused') {
    return { cases: session.length, frames: 0, bytes: 0, replies: 0, pongs: 0, closeCode: null, problems: [`upgrade refused with ${opened.status}: ${opened.body}`], ms: performance.now() - started };
  }
  const connection = opened;
  let frames = 0;
  let bytes = 0;
  // Masking hides nothing from a test's own server: one key per connection is enough.
  const mask = randomBytes(4);
  try {
    await connection.waitFor('the connected greeting', () => connection.texts().length > 0, timeoutMs);
    for (const c of session) {
      const wire = Buffer.concat(c.frames.map((f) => encodeFrame(f, mask)));
      connection.sendRaw(wire);
      frames += c.frames.length;
      bytes += wire.length;
    }
    const last = session.at(-1);
    const closing = last?.expect.kind === 'close' ? last : null;
    if (closing === null) {
      const bye = encodeFrame({ fin: true, rsv: 0, opcode: OPCODES.CLOSE, payload: closePayload(1000, 'done') }, mask);
      connection.sendRaw(bye);
      frames++;
      bytes += bye.length;
    }
    await connection.waitFor('the close frame', () => connection.closeFrame ?? (connection.ended ? 'ended' : null), timeoutMs).catch((error: Error) => problems.push(error.message));
    await connection.whenEnded(timeoutMs).catch((error: Error) => problems.push(error.message));

    const expectedClose = closing !== null && closing.expect.kind === 'close' ? closing.expect.code : 1000;
    // 1006 is what a client reports for a connection that ended without a close frame (RFC 6455 7.1.5).
    const closeCode = connection.closeFrame?.code ?? (connection.ended ? 1006 : null);
    if (closeCode !== expectedClose) problems.push(`${closing === null ? 'clean close' : describeCase(closing)}: closed with ${closeCode ?? 'nothing'}, expected ${expectedClose}`);
    const cut = expectedClose === 1006;

    const [greeting, ...texts] = connection.texts();
    if (greeting === undefined || (JSON.parse(greeting) as { type?: unknown }).type !== 'connected') problems.push('the first message is not `connected`');
    const replies = texts.map((t) => {
      const m = JSON.parse(t) as { type: string; code?: string };
      return m.type === 'error' ? { type: m.type, code: m.code } : { type: m.type };
    });
    const expected = expectedReplies(session);
    const replying = session.filter((c) => c.expect.kind === 'error' || c.expect.kind === 'pong');
    const firstDifference = expected.findIndex((e, i) => replies[i]?.type !== e.type || replies[i]?.code !== e.code);
    if (firstDifference !== -1) {
      const c = replying[firstDifference];
      problems.push(`${c === undefined ? 'reply' : describeCase(c)}: got ${JSON.stringify(replies[firstDifference] ?? 'nothing')}, expected ${JSON.stringify(expected[firstDifference])}`);
    } else if (replies.length !== expected.length) {
      problems.push(`${replies.length} replies for ${expected.length} expected; extra: ${JSON.stringify(replies.slice(expected.length, expected.length + 3))}`);
    }

    const pongs = connection.pongs().map((p) => p.toString('hex'));
    const pings = session.flatMap((c) => c.pings.map((p) => Buffer.from(p).toString('hex')));
    // A cut connection loses the pongs the server had not sent yet: those that came are the first ones.
    const pongsFit = cut ? pongs.length <= pings.length : pongs.length === pings.length;
    if (!pongsFit || pongs.some((p, i) => p !== pings[i])) problems.push(`${pongs.length} pongs for ${pings.length} pings, or not in order`);
    return { cases: session.length, frames, bytes, replies: replies.length, pongs: pongs.length, closeCode, problems, ms: performance.now() - started };
  } finally {
    connection.destroy();
  }
}
