import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { type ClearCache, handleClearCache } from './clear-cache-route.js';
import { sendError, sendJson } from './json-response.js';
import type { ServerMetrics } from './server-metrics.js';
import type { DemoRoutes } from './static-files.js';

export interface Readiness {
  readonly ready: boolean;
  readonly redis: boolean;
  readonly subscriber: boolean;
  readonly stream: boolean;
  readonly epoch: string | null;
}

export interface HttpRoutesOptions {
  readonly metrics: ServerMetrics;
  readonly readiness: () => Readiness;
  readonly clearCacheToken: string | null;
  readonly clearCache: ClearCache;
  readonly logger: Logger;
  /** The demo page (GET /, its assets, /demo-config.json); absent when DEMO_ENABLED=false. */
  readonly demo?: DemoRoutes;
}

/** /healthz (the process answers), /readyz (Redis and the stream reader are up), /metrics, POST /api/clear-cache, the demo page. */
export function createHttpRoutes(o: HttpRoutesOptions) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = `${req.method ?? 'GET'} ${path}`;
    const handle = async () => {
      switch (route) {
        case 'GET /healthz':
          return sendJson(res, 200, { status: 'ok' });
        case 'GET /readyz': {
          const readiness = o.readiness();
          return sendJson(res, readiness.ready ? 200 : 503, readiness);
        }
        case 'GET /metrics': {
          const text = await o.metrics.registry.metrics();
          res.writeHead(200, { 'Content-Type': o.metrics.registry.contentType });
          res.end(text);
          return;
        }
        case 'POST /api/clear-cache':
          return handleClearCache(req, res, o.clearCacheToken, o.clearCache, o.logger);
        default:
          if (['/healthz', '/readyz', '/metrics', '/api/clear-cache'].includes(path)) {
            return sendError(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${path}`);
          }
          if (o.demo !== undefined && (req.method === 'GET' || req.method === 'HEAD') && (await o.demo(req, res, path))) return;
          return sendError(res, 404, 'NOT_FOUND', `no route ${path}`);
      }
    };
    handle().catch((error: unknown) => {
      o.logger.error({ event: 'http_request_failed', route, err: error });
      if (!res.headersSent) sendError(res, 500, 'INTERNAL_ERROR', 'the request failed');
      else res.destroy();
    });
  };
}
