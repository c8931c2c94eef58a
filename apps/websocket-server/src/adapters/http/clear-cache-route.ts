import type { IncomingMessage, ServerResponse } from 'node:http';
import { type IsoDate, isValidIsoDate } from '@scanner/market-calendar';
import type { Logger } from 'pino';
import { bearerMatches } from '@scanner/shared-types/bearer-token';
import { sendError, sendJson } from './json-response.js';

const MAX_BODY_BYTES = 16 * 1024;
const MAX_REASON_LENGTH = 200;

export interface ClearCacheRequest {
  readonly date: IsoDate | null;
  readonly reason: string | null;
}

export interface ClearCacheResult {
  /** applied: a new day; unchanged: that day was already applied; cleared: memory dropped, same day. */
  readonly result: 'applied' | 'unchanged' | 'ignored_older' | 'cleared' | 'initial';
  readonly epoch: IsoDate | null;
}

export type ClearCache = (request: ClearCacheRequest) => Promise<ClearCacheResult>;

/**
 * POST /api/clear-cache, the maintenance service's HTTP fallback for trading:new_day. With a `date`
 * it announces that day exactly as the Pub/Sub message does; without one it re-reads the current day
 * and drops the in-memory lists.
 */
export async function handleClearCache(
  req: IncomingMessage,
  res: ServerResponse,
  token: string | null,
  clearCache: ClearCache,
  logger: Logger,
): Promise<void> {
  if (token === null) {
    return sendError(res, 503, 'CLEAR_CACHE_DISABLED', 'CLEAR_CACHE_TOKEN is not configured on this server');
  }
  if (!bearerMatches(req.headers.authorization, token)) {
    logger.warn({ event: 'clear_cache_unauthorized', remote: req.socket.remoteAddress });
    return sendError(res, 401, 'UNAUTHORIZED', 'a valid bearer token is required', { 'WWW-Authenticate': 'Bearer' });
  }
  const body = await readBody(req);
  if (body === null) return sendError(res, 413, 'PAYLOAD_TOO_LARGE', `the body is at most ${MAX_BODY_BYTES} bytes`);
  const parsed = parseBody(body);
  if ('code' in parsed) return sendError(res, 400, parsed.code, parsed.message);
  const result = await clearCache(parsed);
  logger.info({ event: 'clear_cache_requested', date: parsed.date, reason: parsed.reason, result: result.result, epoch: result.epoch });
  if (result.result === 'ignored_older') {
    return sendError(res, 409, 'DATE_BEFORE_EPOCH', `${parsed.date} is before the current trading day ${result.epoch}`);
  }
  sendJson(res, 200, result);
}

function parseBody(text: string): ClearCacheRequest | { code: string; message: string } {
  if (text.trim() === '') return { date: null, reason: null };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { code: 'INVALID_JSON', message: 'the body is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { code: 'INVALID_BODY', message: 'expected a JSON object {reason?, date?}' };
  }
  const { date, reason } = value as Record<string, unknown>;
  if (date !== undefined && date !== null && (typeof date !== 'string' || !isValidIsoDate(date))) {
    return { code: 'INVALID_DATE', message: 'date must be YYYY-MM-DD' };
  }
  if (reason !== undefined && reason !== null && (typeof reason !== 'string' || reason.length > MAX_REASON_LENGTH)) {
    return { code: 'INVALID_BODY', message: `reason must be a string of at most ${MAX_REASON_LENGTH} characters` };
  }
  return { date: typeof date === 'string' ? date : null, reason: typeof reason === 'string' ? reason : null };
}

/** The body as text, or null when it is larger than allowed (reading stops there). */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(null);
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
