import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

export const DATABASE_URL = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema of this test run's own; the maintenance CLI's `migrate` creates it. */
export function randomSchema(): string {
  return `demo_browser_${randomBytes(5).toString('hex')}`;
}

/**
 * Drops the run's schema with psql: the websocket-server does not depend on a PostgreSQL client, and
 * the maintenance CLI has no command that drops one. The name is ours (randomSchema), never shared.
 */
export async function dropSchema(schema: string): Promise<void> {
  if (!/^demo_browser_[0-9a-f]+$/.test(schema)) throw new Error(`refusing to drop ${schema}: not a schema this test created`);
  await promisify(execFile)('psql', [DATABASE_URL, '-v', 'ON_ERROR_STOP=1', '-q', '-c', `DROP SCHEMA IF EXISTS "${schema}" CASCADE`]);
}
