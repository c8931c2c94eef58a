/**
 * Every way `npm start` can refuse or fail, with a stable code. The message is the one sentence the
 * user reads (what to install or set), never a stack trace.
 */
export const STACK_ERROR_CODES = [
  'CONFIG_INVALID',
  'REDIS_UNAVAILABLE',
  'REDIS_NOT_INSTALLED',
  'POSTGRES_UNAVAILABLE',
  'EMBEDDED_POSTGRES_UNAVAILABLE',
  'EMBEDDED_POSTGRES_UNREACHABLE_DIR',
  'SERVICE_START_FAILED',
  'PORT_IN_USE',
  'MIGRATE_FAILED',
  'BOOTSTRAP_FAILED',
  'CHILD_EXITED',
  'NOT_READY',
] as const;

export type StackErrorCode = (typeof STACK_ERROR_CODES)[number];

export class StackError extends Error {
  override readonly name = 'StackError';
  constructor(
    readonly code: StackErrorCode,
    message: string,
  ) {
    super(message);
  }
}
