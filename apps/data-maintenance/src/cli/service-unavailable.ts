/**
 * Redis or PostgreSQL cannot be reached when a command starts. A stable code tells an operator (or the
 * scheduler's retry) which service to look at; the URL is shown without its password.
 */
export class ServiceUnavailableError extends Error {
  constructor(
    readonly code: 'REDIS_UNAVAILABLE' | 'DATABASE_UNAVAILABLE',
    service: string,
    url: string,
    cause: unknown,
  ) {
    super(`cannot reach ${service} at ${withoutPassword(url)}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ServiceUnavailableError';
  }
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}
