import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerMatches } from '@scanner/shared-types/bearer-token';
import type { Logger } from 'pino';
import { errorInfo } from '../tasks/task-result.js';
import type { ControlPort, TriggerResult } from './control-port.js';
import { sendError, sendJson } from './json-response.js';
import { parseTriggerRequest } from './parse-trigger-request.js';
import { readJsonBody } from './read-json-body.js';

type Refusal = Extract<TriggerResult, { accepted: false }>;

const REFUSAL_STATUS: Readonly<Record<Refusal['code'], number>> = {
  LOCK_HELD: 409,
  NOT_A_TRADING_DAY: 422,
  SESSION_NOT_CLOSED: 422,
  SHUTTING_DOWN: 503,
};

/** A response sent before the body is read: the connection is closed rather than the body drained. */
const UNREAD_BODY = { Connection: 'close' };

/**
 * POST /trigger: the daily cycle for a date, now. The token is checked before a byte of the body is
 * read, and an unconfigured token disables the route rather than leaving it open. 202 once the run holds
 * the lock (it goes on in the background: GET /status follows it), 409 while another run holds it.
 */
export async function handleTrigger(req: IncomingMessage, res: ServerResponse, token: string | null, control: ControlPort, logger: Logger): Promise<void> {
  if (token === null) {
    return sendError(res, 503, { code: 'TRIGGER_DISABLED', message: 'CONTROL_TOKEN is not configured: /trigger is disabled' }, UNREAD_BODY);
  }
  if (!bearerMatches(req.headers.authorization, token)) {
    logger.warn(
      { event: 'control_trigger_unauthorized', remote: req.socket.remoteAddress, authorization_present: req.headers.authorization !== undefined },
      'a /trigger request without a valid bearer token was refused',
    );
    return sendError(res, 401, { code: 'UNAUTHORIZED', message: 'a valid bearer token is required' }, { 'WWW-Authenticate': 'Bearer', ...UNREAD_BODY });
  }
  const body = await readJsonBody(req);
  if (!body.ok) return sendError(res, body.status, { code: body.code, message: body.message }, body.status === 413 ? UNREAD_BODY : {});
  const parsed = parseTriggerRequest(body.value);
  if (!parsed.ok) return sendError(res, 400, parsed.error);

  const request = parsed.value;
  let result: TriggerResult;
  try {
    result = await control.trigger(request);
  } catch (error) {
    const { code, message } = errorInfo(error);
    logger.error({ event: 'control_trigger_failed', date: request.date, tasks: request.tasks, code, message }, `/trigger failed: ${message}`);
    return sendError(res, 500, { code: 'TRIGGER_FAILED', message: `the run could not be started: ${code}: ${message}` });
  }
  if (result.accepted) {
    logger.info({ event: 'control_trigger_accepted', date: result.runOf, tasks: result.tasks }, `run of ${result.runOf} triggered`);
    return sendJson(res, 202, { accepted: true, date: result.runOf, tasks: result.tasks });
  }
  logger.info({ event: 'control_trigger_refused', date: request.date, tasks: request.tasks, code: result.code, reason: result.message }, `/trigger refused: ${result.message}`);
  const { accepted: _accepted, ...refusal } = result;
  return sendError(res, REFUSAL_STATUS[result.code], refusal);
}
