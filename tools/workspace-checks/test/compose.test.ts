import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { appEnvNames } from './support/app-env-names.js';
import { type RepoFacts, checkCompose, dependencies, dockerfileOf, isPinnedImage } from './support/compose-checks.js';
import { checkDockerfile, instructions } from './support/dockerfile-checks.js';

const root = resolve(import.meta.dirname, '../../..');
const APPS = ['websocket-server', 'data-maintenance', 'scanner-feed'] as const;

/** The compose file as compose reads it: anchors, aliases and `<<` merge keys resolved. */
function loadCompose(): Record<string, unknown> {
  const doc = parseDocument(readFileSync(resolve(root, 'compose.yaml'), 'utf8'), { merge: true, prettyErrors: true });
  if (doc.errors.length > 0) throw new Error(`compose.yaml: ${doc.errors.map((e) => e.message).join('; ')}`);
  return doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
}

const envCache = new Map<string, ReadonlySet<string> | null>();
const repo: RepoFacts = {
  fileExists: (path) => existsSync(resolve(root, path)),
  appEnvNames: (app) => {
    if (!envCache.has(app)) {
      const config = resolve(root, 'apps', app, 'src/config.ts');
      envCache.set(app, existsSync(config) ? appEnvNames(config) : null);
    }
    return envCache.get(app) ?? null;
  },
  dockerfileHasHealthcheck: (path) =>
    existsSync(resolve(root, path)) &&
    instructions(readFileSync(resolve(root, path), 'utf8')).some((line) => /^HEALTHCHECK\s/i.test(line) && !/^HEALTHCHECK\s+NONE\b/i.test(line)),
};

type Compose = { services: Record<string, Record<string, unknown>> };

/** A deep copy of the real compose file with one change, for the checks to catch. */
function mutated(change: (compose: Compose) => void): Compose {
  const copy = structuredClone(loadCompose()) as Compose;
  change(copy);
  return copy;
}

function envOf(service: Record<string, unknown>): Record<string, unknown> {
  return service['environment'] as Record<string, unknown>;
}

let compose: Compose;
beforeAll(() => {
  compose = loadCompose() as Compose;
});

describe('compose.yaml', () => {
  it('passes every check', () => {
    expect(checkCompose(compose, repo)).toEqual([]);
  });

  it('runs the services the demo needs, each app from its own Dockerfile', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['data-maintenance', 'migrate', 'redis', 'scanner-feed', 'timescaledb', 'websocket-server'].sort(),
    );
    const dockerfiles = Object.fromEntries(Object.entries(compose.services).map(([name, s]) => [name, s['build'] === undefined ? null : dockerfileOf(s['build'])]));
    expect(dockerfiles).toEqual({
      redis: null,
      timescaledb: null,
      migrate: 'apps/data-maintenance/Dockerfile',
      'data-maintenance': 'apps/data-maintenance/Dockerfile',
      'websocket-server': 'apps/websocket-server/Dockerfile',
      'scanner-feed': 'apps/scanner-feed/Dockerfile',
    });
  });

  it('wires the services together: one Redis, one database, the clear-cache fallback and its shared token', () => {
    const ws = envOf(compose.services['websocket-server'] ?? {});
    const maintenance = envOf(compose.services['data-maintenance'] ?? {});
    const migrate = envOf(compose.services['migrate'] ?? {});
    const feed = envOf(compose.services['scanner-feed'] ?? {});
    for (const env of [ws, maintenance, migrate, feed]) expect(env['REDIS_URL']).toBe('redis://redis:6379');
    expect(migrate['DATABASE_URL']).toBe(maintenance['DATABASE_URL']);
    expect(maintenance['DATABASE_URL']).toMatch(/^postgres:\/\/[^@]+@timescaledb:5432\//);
    expect(maintenance['CLEAR_CACHE_TOKEN']).toBe(ws['CLEAR_CACHE_TOKEN']);
    expect(maintenance['WEBSOCKET_CLEAR_CACHE_URL']).toBe(`http://websocket-server:${String(ws['PORT'])}/api/clear-cache`);
    expect(compose.services['migrate']?.['command']).toEqual(['node', 'apps/data-maintenance/dist/main.js', 'migrate']);
    expect(dependencies(compose.services['data-maintenance']?.['depends_on'])).toContainEqual({
      target: 'migrate',
      condition: 'service_completed_successfully',
    });
  });

  it('catches a typo in a variable name', () => {
    const typo = mutated((c) => {
      const env = envOf(c.services['websocket-server'] ?? {});
      env['REDIS_ULR'] = env['REDIS_URL'];
      delete env['REDIS_URL'];
    });
    expect(checkCompose(typo, repo)).toEqual([expect.objectContaining({ code: 'UNREAD_ENV', service: 'websocket-server', message: expect.stringContaining('REDIS_ULR') })]);
  });

  it("catches a variable of another app (the database URL on the websocket-server)", () => {
    const wrongApp = mutated((c) => {
      envOf(c.services['websocket-server'] ?? {})['DATABASE_URL'] = 'postgres://x@timescaledb:5432/x';
    });
    expect(checkCompose(wrongApp, repo)).toEqual([expect.objectContaining({ code: 'UNREAD_ENV', service: 'websocket-server' })]);
  });

  it('catches a variable set as a KEY=value list item, and one a third-party image does not read', () => {
    const listed = mutated((c) => {
      const feed = c.services['scanner-feed'] ?? {};
      feed['environment'] = ['REDIS_URL=redis://redis:6379', 'FEED_CADENCE=1000'];
      envOf(c.services['timescaledb'] ?? {})['POSTGRES_PASWORD'] = 'x';
    });
    expect(checkCompose(listed, repo).map((p) => [p.code, p.service])).toEqual([
      ['UNREAD_ENV', 'timescaledb'],
      ['UNREAD_ENV', 'scanner-feed'],
    ]);
  });

  it('catches a build that points at a missing Dockerfile', () => {
    const missing = mutated((c) => {
      (c.services['scanner-feed'] ?? {})['build'] = { context: '.', dockerfile: 'apps/scanner-fed/Dockerfile' };
    });
    expect(checkCompose(missing, repo)).toEqual([expect.objectContaining({ code: 'MISSING_DOCKERFILE', service: 'scanner-feed' })]);
  });

  it('catches an image without a pinned tag', () => {
    const floating = mutated((c) => {
      (c.services['redis'] ?? {})['image'] = 'redis:7';
      (c.services['timescaledb'] ?? {})['image'] = 'timescale/timescaledb:latest-pg15';
    });
    expect(checkCompose(floating, repo).map((p) => [p.code, p.service])).toEqual([
      ['UNPINNED_IMAGE', 'redis'],
      ['UNPINNED_IMAGE', 'timescaledb'],
    ]);
  });

  it('catches a depends_on target that does not exist, and a healthy condition on a service without a healthcheck', () => {
    const deps = mutated((c) => {
      (c.services['websocket-server'] ?? {})['depends_on'] = { rediss: { condition: 'service_healthy' } };
      (c.services['data-maintenance'] ?? {})['depends_on'] = ['timescaledb', 'migrate'];
      (c.services['migrate'] ?? {})['depends_on'] = { 'scanner-feed': { condition: 'service_healthy' } };
    });
    expect(checkCompose(deps, repo).map((p) => [p.code, p.service, p.message])).toEqual([
      ['BAD_DEPENDENCY_CONDITION', 'migrate', expect.stringContaining('scanner-feed has no healthcheck')],
      ['UNKNOWN_DEPENDENCY', 'websocket-server', expect.stringContaining('rediss')],
    ]);
  });

  it('pins images to a full version or a digest', () => {
    expect(['redis:7.4.2', 'timescale/timescaledb:2.17.2-pg15', `redis@sha256:${'a'.repeat(64)}`, 'registry:5000/x/redis:7.4.2'].map(isPinnedImage)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['redis', 'redis:7', 'redis:7.4', 'redis:latest', 'timescale/timescaledb:latest-pg15', 'registry:5000/redis'].map(isPinnedImage)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});

describe("each app's variables, read from its config source", () => {
  it('finds the variables of the zod schemas, the settings table and the source module', () => {
    const ws = repo.appEnvNames('websocket-server');
    const maintenance = repo.appEnvNames('data-maintenance');
    const feed = repo.appEnvNames('scanner-feed');
    expect([...(ws ?? [])]).toEqual(expect.arrayContaining(['PORT', 'REDIS_URL', 'CLEAR_CACHE_TOKEN', 'JWT_SECRET', 'LOG_LEVEL']));
    // DATABASE_URL is in the base schema; MARKET_DATA_SOURCE/POLYGON_API_KEY in src/sources/source-config.ts.
    expect([...(maintenance ?? [])]).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'WEBSOCKET_CLEAR_CACHE_URL', 'CLEAR_CACHE_TOKEN', 'CONTROL_PORT', 'MARKET_DATA_SOURCE', 'POLYGON_API_KEY']),
    );
    // The feed's settings table names its variables as `env: '...'`.
    expect([...(feed ?? [])]).toEqual(expect.arrayContaining(['REDIS_URL', 'FEED_CADENCE_MS', 'FEED_ROWS_PER_LIST', 'LOG_LEVEL']));
  });

  it("does not mix the apps' variables, nor take the schemas' other keys", () => {
    expect(repo.appEnvNames('websocket-server')?.has('DATABASE_URL')).toBe(false);
    expect(repo.appEnvNames('scanner-feed')?.has('DATABASE_URL')).toBe(false);
    expect(repo.appEnvNames('data-maintenance')?.has('PORT')).toBe(false);
    expect(repo.appEnvNames('data-maintenance')?.has('FEED_CADENCE_MS')).toBe(false);
    for (const app of APPS) {
      for (const name of repo.appEnvNames(app) ?? []) expect(name, app).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
    }
    expect(repo.appEnvNames('no-such-app')).toBeNull();
  });
});

describe('the app Dockerfiles', () => {
  const workspaceDirs = new Map<string, string>();
  const manifest = (dir: string) =>
    JSON.parse(readFileSync(resolve(root, dir, 'package.json'), 'utf8')) as { name: string; dependencies?: Record<string, string> };
  for (const group of ['apps', 'libs']) {
    for (const entry of readdirSync(resolve(root, group))) {
      if (existsSync(resolve(root, group, entry, 'package.json'))) workspaceDirs.set(manifest(`${group}/${entry}`).name, `${group}/${entry}`);
    }
  }
  /** The app and every workspace package its production dependencies reach. */
  const workspacesOf = (dir: string): string[] => {
    const found = new Set([dir]);
    for (let i = 0; i < found.size; i++) {
      for (const name of Object.keys(manifest([...found][i] ?? dir).dependencies ?? {})) {
        const depDir = workspaceDirs.get(name);
        if (depDir !== undefined) found.add(depDir);
      }
    }
    return [...found].sort();
  };
  const HEALTH: Record<(typeof APPS)[number], string | null> = {
    'websocket-server': '/healthz',
    'data-maintenance': '/health',
    'scanner-feed': null,
  };

  it.each(APPS)('%s: multi-stage, production dependencies of its workspaces only, non-root, health-checked', (app) => {
    const text = readFileSync(resolve(root, 'apps', app, 'Dockerfile'), 'utf8');
    expect(checkDockerfile(text, { workspaces: workspacesOf(`apps/${app}`), healthPath: HEALTH[app] })).toEqual([]);
  });

  it('websocket-server: the build stage runs the build script (tsc, then the demo bundle) and ships dist/ with dist/demo', () => {
    const lines = instructions(readFileSync(resolve(root, 'apps/websocket-server/Dockerfile'), 'utf8'));
    const script = (JSON.parse(readFileSync(resolve(root, 'apps/websocket-server/package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['build'];
    expect(script).toMatch(/vite build/);
    expect(lines.some((l) => /^RUN\s.*npm run build --workspace apps\/websocket-server\b/.test(l))).toBe(true);
    expect(lines).toContain('COPY --from=build /repo/apps/websocket-server/dist apps/websocket-server/dist');
  });

  it('catches a missing workspace, a root runtime, dev dependencies and a wrong health route', () => {
    const text = readFileSync(resolve(root, 'apps/data-maintenance/Dockerfile'), 'utf8');
    const broken = text
      .replaceAll('COPY libs/redis-keys/package.json libs/redis-keys/\n', '')
      .replace('USER node', 'USER root')
      .replace('--omit=dev ', '')
      .replace("+'/health'", "+'/healthz'");
    expect(checkDockerfile(broken, { workspaces: workspacesOf('apps/data-maintenance'), healthPath: '/health' }).map((p) => p.code)).toEqual([
      'RUNS_AS_ROOT',
      'DEV_DEPENDENCIES',
      'MISSING_WORKSPACE',
      'MISSING_WORKSPACE',
      'WRONG_HEALTHCHECK',
    ]);
    expect(checkDockerfile('FROM node:20\nUSER node\nRUN npm ci --omit=dev\n', { workspaces: [], healthPath: '/health' }).map((p) => p.code)).toEqual([
      'SINGLE_STAGE',
      'NO_HEALTHCHECK',
    ]);
  });
});
