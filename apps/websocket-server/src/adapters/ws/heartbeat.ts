import type { ServerMetrics } from '../http/server-metrics.js';
import type { ClientRegistry } from './client-registry.js';

/**
 * One protocol-ping round: a client that did not answer the previous ping is gone (a dropped network
 * never sends a close) and is terminated, freeing its buffer without waiting for a close handshake.
 */
export function pingClients(registry: ClientRegistry, metrics: ServerMetrics): void {
  for (const client of registry.all()) {
    if (!client.isAlive) {
      metrics.closes.labels('heartbeat_timeout').inc();
      client.logger.info({ event: 'client_heartbeat_timeout' });
      client.socket.terminate();
      continue;
    }
    client.isAlive = false;
    client.socket.ping();
  }
}
