import type { Clock } from '@scanner/market-calendar';
import { CLOSE_CODES } from '@scanner/shared-types';
import type { ClientConnection } from './client-connection.js';

/** setTimeout fires at once for delays past 2^31 - 1 ms, so a long-lived token is re-armed in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The token was checked once, at the upgrade; a connection must not outlive it. At its `exp` the
 * connection is closed with 4001, so the client fetches a new token instead of retrying blindly.
 * Returns what cancels it (the connection closed first).
 */
export function closeAtExpiry(client: ClientConnection, expiresAtMs: number, clock: Clock): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    const remaining = expiresAtMs - clock.now().getTime();
    if (remaining <= 0) {
      client.logger.info({ event: 'client_token_expired' });
      client.close(CLOSE_CODES.UNAUTHENTICATED, 'token expired', 'token_expired');
      return;
    }
    timer = setTimeout(arm, Math.min(remaining, MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}
