import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { MaintenanceMetrics } from '../metrics/maintenance-metrics.js';
import { errorInfo } from '../tasks/task-result.js';
import type { ControlPort } from './control-port.js';
import { sendError, sendJson } from './json-response.js';
import { handleTrigger } from './trigger-route.js';

export interface ControlRoutesOptions {
  /** The bearer token of POST /trigger; null disables the route. */
  readonly token: string | null;
  readonly control: ControlPort;
  readonly metrics: MaintenanceMetrics;
  readonly logger: Logger;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** GET /health, GET /status, POST /trigger, GET /metrics; 404 elsewhere, 405 (with Allow) for another method. */
export function createControlRoutes(o: ControlRoutesOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const routes: Readonly<Record<string, Readonly<Record<string, Handler>>>> = {
    '/health': { GET: (_req, res) => health(res, o) },
    '/status': { GET: (_req, res) => status(res, o) },
    '/trigger': { POST: (req, res) => handleTrigger(req, res, o.token, o.control, o.logger) },
    '/metrics': { GET: (_req, res) => metrics(res, o) },
  };
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const method = req.method ?? 'GET';
    const methods = Object.hasOwn(routes, path) ? routes[path] : undefined;
    const handler = methods !== undefined && Object.hasOwn(methods, method) ? methods[method] : undefined;
    const handle = async () => {
      if (methods === undefined) return sendError(res, 404, { code: 'NOT_FOUND', message: `no route ${path.slice(0, 100)}` });
      if (handler === undefined) {
        const allow = Object.keys(methods).join(', ');
        return sendError(res, 405, { code: 'METHOD_NOT_ALLOWED', message: `${method} is not allowed on ${path}; use ${allow}` }, { Allow: allow });
      }
      return handler(req, res);
    };
    handle().catch((error: unknown) => {
      const { code, message } = errorInfo(error);
      o.logger.error({ event: 'control_request_failed', method, path, code, message }, `${method} ${path} failed: ${message}`);
      if (!res.headersSent) sendError(res, 500, { code: 'INTERNAL_ERROR', message: `the request failed: ${code}` }, { Connection: 'close' });
      else res.destroy();
    });
  };
}

/** Never throws: a health check that cannot run is a failed one. */
async function health(res: ServerResponse, o: ControlRoutesOptions): Promise<void> {
  try {
    const report = await o.control.health();
    return sendJson(res, report.ok ? 200 : 503, { status: report.ok ? 'ok' : 'unhealthy', checks: report.checks });
  } catch (error) {
    const { code, message } = errorInfo(error);
    o.logger.error({ event: 'control_health_failed', code, message }, `the health check could not run: ${message}`);
    return sendJson(res, 503, { status: 'unhealthy', code: 'HEALTH_CHECK_FAILED', message: `the health check could not run: ${code}: ${message}`, checks: {} });
  }
}

async function status(res: ServerResponse, o: ControlRoutesOptions): Promise<void> {
  let body: unknown;
  try {
    body = await o.control.status();
  } catch (error) {
    const { code, message } = errorInfo(error);
    o.logger.error({ event: 'control_status_failed', code, message }, `the status could not be read: ${message}`);
    return sendError(res, 503, { code: 'STATUS_UNAVAILABLE', message: `the status could not be read: ${code}: ${message}` });
  }
  return sendJson(res, 200, body);
}

async function metrics(res: ServerResponse, o: ControlRoutesOptions): Promise<void> {
  const text = await o.metrics.registry.metrics();
  res.writeHead(200, { 'Content-Type': o.metrics.registry.contentType, 'Cache-Control': 'no-store' });
  res.end(text);
}
