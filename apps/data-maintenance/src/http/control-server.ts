import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { MaintenanceMetrics } from '../metrics/maintenance-metrics.js';
import type { ControlPort } from './control-port.js';
import { createControlRoutes } from './control-routes.js';

export interface ControlServerOptions {
  readonly host: string;
  /** 0: any free port (see `url`). */
  readonly port: number;
  /** The bearer token of POST /trigger; null disables it. */
  readonly token: string | null;
  readonly control: ControlPort;
  readonly metrics: MaintenanceMetrics;
  readonly logger: Logger;
}

export interface ControlServer {
  /** Where it listens, e.g. http://127.0.0.1:9100 (the real port when 0 was asked for). */
  readonly url: string;
  /** Stops listening, closes idle keep-alive connections at once and busy ones once their response is sent. */
  close(): Promise<void>;
}

export class ControlServerError extends Error {
  override readonly name = 'ControlServerError';
  readonly code = 'CONTROL_PORT_UNAVAILABLE';
}

/** A request still unanswered this long after close() has its connection cut. */
const CLOSE_GRACE_MS = 5000;

/** The service's control HTTP port (GET /health, GET /status, POST /trigger, GET /metrics), on node:http. */
export async function startControlServer(options: ControlServerOptions): Promise<ControlServer> {
  const routes = createControlRoutes(options);
  let closing: Promise<void> | null = null;
  const server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000, keepAliveTimeout: 5_000 }, (req, res) => {
    // A keep-alive connection whose response ends after close() would otherwise idle until its timeout.
    res.once('finish', () => {
      if (closing !== null) setImmediate(() => server.closeIdleConnections());
    });
    routes(req, res);
  });
  await listen(server, options.host, options.port);
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  options.logger.info({ event: 'control_server_listening', url, trigger_enabled: options.token !== null }, `control port listening on ${url}`);

  return {
    url,
    close() {
      closing ??= new Promise<void>((resolve) => {
        const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
        cut.unref();
        server.close(() => {
          clearTimeout(cut);
          options.logger.info({ event: 'control_server_closed', url }, 'control port closed');
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(new ControlServerError(`the control port cannot listen on ${host}:${port}: ${error.code ?? error.message}`, { cause: error }));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
