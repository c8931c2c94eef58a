import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * Cleanup of what a test wrote to the machine's shared Redis and PostgreSQL: its own key prefix and
 * its own schema, nothing else. Through the services' own command-line clients (this package
 * depends on no Redis or PostgreSQL client library); both come with the servers the tests need.
 */

const run = promisify(execFile);

export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`refusing to drop ${schema}`);
  await run('psql', [databaseUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-c', `DROP SCHEMA IF EXISTS "${schema}" CASCADE`]);
}

export async function deletePrefixedKeys(redisUrl: string, prefix: string): Promise<number> {
  if (prefix.length < 8 || /[*?[\]\\]/.test(prefix)) throw new Error(`refusing to delete keys of prefix ${JSON.stringify(prefix)}`);
  const { stdout } = await run('redis-cli', ['-u', redisUrl, '--scan', '--pattern', `${prefix}*`], { maxBuffer: 64 * 1024 * 1024 });
  const keys = stdout.split('\n').filter((k) => k !== '');
  for (let i = 0; i < keys.length; i += 500) await run('redis-cli', ['-u', redisUrl, 'UNLINK', ...keys.slice(i, i + 500)]);
  return keys.length;
}

export async function countPrefixedKeys(redisUrl: string, prefix: string): Promise<number> {
  const { stdout } = await run('redis-cli', ['-u', redisUrl, '--scan', '--pattern', `${prefix}*`], { maxBuffer: 64 * 1024 * 1024 });
  return stdout.split('\n').filter((k) => k !== '').length;
}
