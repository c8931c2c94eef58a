import type { IsoDate } from '@scanner/market-calendar';
import { Agent, fetch } from 'undici';

export interface ClearCacheRequest {
  /** The WebSocket server's `POST /api/clear-cache`; null: not configured, nothing is sent. */
  readonly url: string | null;
  /** Its CLEAR_CACHE_TOKEN, sent as a bearer token when set. */
  readonly token: string | null;
  readonly date: IsoDate;
  /** The whole exchange (connect, answer, body) is cut after this long. */
  readonly timeoutMs: number;
}

export interface ClearCacheNotice {
  readonly status: 'ok' | 'failed' | 'skipped';
  /** What the server answered, or why it could not be reached; never the token. */
  readonly detail: string | null;
}

const DETAIL_LIMIT = 300;

/**
 * The HTTP fallback of the new-day announcement (the seed's `_notify_websocket_server`): POST
 * `{reason: 'new_trading_day', date}`. Pub/Sub and `trading:current_day` are what the WebSocket server
 * relies on, so this never throws: an answer other than 2xx, a timeout or a refused connection comes
 * back as `failed` with the reason, for the caller to log.
 */
export async function notifyClearCache(request: ClearCacheRequest): Promise<ClearCacheNotice> {
  if (request.url === null) return { status: 'skipped', detail: 'no clear-cache URL configured' };
  // One connection for one call a day, closed afterwards so no idle socket keeps a CLI process alive.
  const agent = new Agent({ connect: { timeout: request.timeoutMs } });
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), request.timeoutMs);
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      dispatcher: agent,
      signal: controller.signal,
      // A redirect would carry the bearer token elsewhere; it is reported as the answer instead.
      redirect: 'manual',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(request.token === null ? {} : { authorization: `Bearer ${request.token}` }),
      },
      body: JSON.stringify({ reason: 'new_trading_day', date: request.date }),
    });
    const body = await response.text();
    const ok = response.status >= 200 && response.status < 300;
    return { status: ok ? 'ok' : 'failed', detail: redact(`HTTP ${response.status}${answerOf(body)}`, request.token) };
  } catch (error) {
    if (controller.signal.aborted) return { status: 'failed', detail: `no complete answer within ${request.timeoutMs} ms` };
    return { status: 'failed', detail: redact(networkDetail(error), request.token) };
  } finally {
    clearTimeout(timer);
    await agent.destroy().catch(() => undefined);
  }
}

/** The route's answer: `{result, epoch}` on success, `{code, message}` on refusal, else the start of the body. */
function answerOf(body: string): string {
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    if (typeof json['result'] === 'string') return `: ${json['result']} (epoch ${String(json['epoch'] ?? null)})`;
    if (typeof json['code'] === 'string') return `: ${json['code']} ${String(json['message'] ?? '')}`.trimEnd().slice(0, DETAIL_LIMIT);
  } catch {
    // not JSON: the raw text below
  }
  const text = body.trim();
  return text === '' ? '' : `: ${text.slice(0, DETAIL_LIMIT)}`;
}

function networkDetail(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const message = error instanceof Error ? error.message : String(error);
  const causeText = [cause?.code, cause?.message].filter((part) => typeof part === 'string' && part !== '').join(' ');
  return causeText === '' ? message : `${message}: ${causeText}`;
}

/** A server that echoes the request must not put the token into our logs and ledger. */
function redact(text: string, token: string | null): string {
  return token === null || token === '' ? text : text.split(token).join('***');
}
