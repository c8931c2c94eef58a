import { type FuzzCase, MAX_PENDING_PONGS } from './frame-fuzzer.js';

/**
 * Groups cases into connections: at most `maxMessages` data messages each (under the rate limiter's
 * burst, so every answer is the case's own) and at most MAX_PENDING_PONGS pings (all of a session's
 * frames go out at once), a case that closes the connection always last, and a case that gets the
 * connection cut (1006) alone: a cut drops whatever the server had not sent yet.
 */
export function planSessions(cases: readonly FuzzCase[], maxMessages: number): FuzzCase[][] {
  const sessions: FuzzCase[][] = [];
  let current: FuzzCase[] = [];
  let messages = 0;
  let pings = 0;
  const flush = () => {
    if (current.length > 0) sessions.push(current);
    current = [];
    messages = 0;
    pings = 0;
  };
  for (const c of cases) {
    const cut = c.expect.kind === 'close' && c.expect.code === 1006;
    if (cut || messages + c.messages > maxMessages || (!cut && pings + c.pings.length > MAX_PENDING_PONGS)) flush();
    current.push(c);
    messages += c.messages;
    pings += c.pings.length;
    if (c.expect.kind === 'close') flush();
  }
  flush();
  return sessions;
}

/** What the server's text replies to a session must be, in order (the `connected` greeting aside). */
export function expectedReplies(session: readonly FuzzCase[]): Array<{ readonly type: string; readonly code?: string }> {
  return session.flatMap((c) => (c.expect.kind === 'error' ? [{ type: 'error', code: c.expect.code }] : c.expect.kind === 'pong' ? [{ type: 'pong' }] : []));
}
