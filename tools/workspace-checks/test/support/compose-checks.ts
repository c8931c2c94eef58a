import { posix } from 'node:path';

/** One thing wrong with a compose file, with a stable code a test can expect. */
export interface ComposeProblem {
  readonly code:
    | 'INVALID_COMPOSE'
    | 'MISSING_DOCKERFILE'
    | 'NOT_AN_APP'
    | 'UNREAD_ENV'
    | 'UNCHECKED_ENV_FILE'
    | 'UNPINNED_IMAGE'
    | 'UNKNOWN_DEPENDENCY'
    | 'BAD_DEPENDENCY_CONDITION';
  readonly service: string;
  readonly message: string;
}

/** What the checks need to know about the repository; the caller reads it, the checks stay pure. */
export interface RepoFacts {
  /** Whether a repo-relative file exists. */
  fileExists(path: string): boolean;
  /** The variables app `apps/<name>` reads; null when there is no such app. */
  appEnvNames(app: string): ReadonlySet<string> | null;
  /** Whether the repo-relative Dockerfile declares a HEALTHCHECK (other than NONE). */
  dockerfileHasHealthcheck(path: string): boolean;
}

/**
 * Variables the third-party images read (their documented settings); a service running one of them may
 * set only these. Keyed by image repository, without the tag.
 */
export const IMAGE_ENV_NAMES: Readonly<Record<string, readonly string[]>> = {
  redis: [],
  'timescale/timescaledb': [
    // The postgres image's entrypoint, which the TimescaleDB image extends.
    'POSTGRES_USER',
    'POSTGRES_PASSWORD',
    'POSTGRES_DB',
    'POSTGRES_INITDB_ARGS',
    'POSTGRES_INITDB_WALDIR',
    'POSTGRES_HOST_AUTH_METHOD',
    'PGDATA',
    // The TimescaleDB image's own.
    'TIMESCALEDB_TELEMETRY',
    'NO_TS_TUNE',
    'TS_TUNE_MEMORY',
    'TS_TUNE_NUM_CPUS',
    'TS_TUNE_MAX_CONNS',
    'TS_TUNE_MAX_BG_WORKERS',
  ],
};

const CONDITIONS = new Set(['service_started', 'service_healthy', 'service_completed_successfully']);

/** A full version (7.4.2, 2.17.2-pg15) or a digest: `redis:7`, `latest-pg15` or no tag move under you. */
export function isPinnedImage(image: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastSegment.indexOf(':');
  if (colon < 0) return false;
  return /^v?\d+\.\d+\.\d+([-.+][\w.-]+)?$/.test(lastSegment.slice(colon + 1));
}

/** `repo[:tag]` without the tag or digest: `timescale/timescaledb:2.17.2-pg15` -> `timescale/timescaledb`. */
export function imageRepository(image: string): string {
  const withoutDigest = image.split('@')[0] ?? image;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  const bare = colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
  return bare.replace(/^docker\.io\/(library\/)?/, '');
}

/** The repo-relative Dockerfile of a `build` entry (a context string or `{context, dockerfile}`). */
export function dockerfileOf(build: unknown): string | null {
  if (typeof build === 'string') return posix.normalize(posix.join(build, 'Dockerfile'));
  if (!isRecord(build)) return null;
  const context = typeof build['context'] === 'string' ? build['context'] : '.';
  const dockerfile = typeof build['dockerfile'] === 'string' ? build['dockerfile'] : 'Dockerfile';
  return posix.normalize(posix.isAbsolute(dockerfile) ? dockerfile : posix.join(context, dockerfile));
}

/** The variable names a service sets, from `environment` as a mapping or as a `KEY=value` list. */
export function environmentNames(environment: unknown): string[] {
  if (Array.isArray(environment)) return environment.map((item) => String(item).split('=')[0] ?? '');
  if (isRecord(environment)) return Object.keys(environment);
  return [];
}

/** `depends_on` as a list or as a mapping, with each target's condition (compose's default: started). */
export function dependencies(dependsOn: unknown): Array<{ target: string; condition: string }> {
  if (Array.isArray(dependsOn)) return dependsOn.map((target) => ({ target: String(target), condition: 'service_started' }));
  if (!isRecord(dependsOn)) return [];
  return Object.entries(dependsOn).map(([target, spec]) => ({
    target,
    condition: isRecord(spec) && typeof spec['condition'] === 'string' ? spec['condition'] : 'service_started',
  }));
}

/**
 * Checks a parsed compose file (the YAML as plain data, aliases and merge keys resolved) against the
 * repository. Paths in the compose file are relative to the repository root, where it lives.
 */
export function checkCompose(compose: unknown, repo: RepoFacts): ComposeProblem[] {
  if (!isRecord(compose) || !isRecord(compose['services'])) {
    return [{ code: 'INVALID_COMPOSE', service: '(file)', message: 'no services mapping' }];
  }
  const services = compose['services'];
  const problems: ComposeProblem[] = [];
  const problem = (code: ComposeProblem['code'], service: string, message: string) => problems.push({ code, service, message });

  for (const [name, raw] of Object.entries(services)) {
    if (!isRecord(raw)) {
      problem('INVALID_COMPOSE', name, 'a service must be a mapping');
      continue;
    }
    const envNames = environmentNames(raw['environment']);
    if (raw['env_file'] !== undefined) {
      problem('UNCHECKED_ENV_FILE', name, 'env_file hides the variables from this check: set them under environment');
    }

    if (raw['build'] !== undefined) {
      const dockerfile = dockerfileOf(raw['build']);
      if (dockerfile === null || !repo.fileExists(dockerfile)) {
        problem('MISSING_DOCKERFILE', name, `build points at ${dockerfile ?? '(unreadable build entry)'}, which does not exist`);
        continue;
      }
      const app = /^apps\/([^/]+)\/Dockerfile$/.exec(dockerfile)?.[1];
      const reads = app === undefined ? null : repo.appEnvNames(app);
      if (reads === null) {
        problem('NOT_AN_APP', name, `${dockerfile} is not apps/<app>/Dockerfile of an app with src/config.ts`);
        continue;
      }
      for (const variable of envNames) {
        if (!reads.has(variable)) problem('UNREAD_ENV', name, `${variable} is not read by apps/${app ?? ''} (its src/config.ts)`);
      }
    } else {
      const image = typeof raw['image'] === 'string' ? raw['image'] : null;
      if (image === null) {
        problem('INVALID_COMPOSE', name, 'a service needs build or image');
        continue;
      }
      if (!isPinnedImage(image)) problem('UNPINNED_IMAGE', name, `${image}: use a full version tag (x.y.z) or a digest`);
      const known = IMAGE_ENV_NAMES[imageRepository(image)];
      for (const variable of envNames) {
        if (known === undefined) problem('UNREAD_ENV', name, `${variable}: ${imageRepository(image)} is not a known image, add its variables to IMAGE_ENV_NAMES`);
        else if (!known.includes(variable)) problem('UNREAD_ENV', name, `${variable} is not a setting of ${imageRepository(image)}`);
      }
    }

    for (const { target, condition } of dependencies(raw['depends_on'])) {
      const dependency = services[target];
      if (!isRecord(dependency) || target === name) {
        problem('UNKNOWN_DEPENDENCY', name, `depends_on ${target}: no such service`);
        continue;
      }
      if (!CONDITIONS.has(condition)) {
        problem('BAD_DEPENDENCY_CONDITION', name, `depends_on ${target}: unknown condition ${condition}`);
      } else if (condition === 'service_healthy' && !hasHealthcheck(dependency, repo)) {
        problem('BAD_DEPENDENCY_CONDITION', name, `depends_on ${target}: service_healthy, but ${target} has no healthcheck`);
      } else if (condition === 'service_completed_successfully' && !['no', 'on-failure', undefined].includes(restartOf(dependency))) {
        problem('BAD_DEPENDENCY_CONDITION', name, `depends_on ${target}: service_completed_successfully, but ${target} restarts (${restartOf(dependency) ?? ''})`);
      }
    }
  }
  return problems;
}

function hasHealthcheck(service: Record<string, unknown>, repo: RepoFacts): boolean {
  const healthcheck = service['healthcheck'];
  if (isRecord(healthcheck)) return healthcheck['disable'] !== true && !isNoneTest(healthcheck['test']);
  if (service['build'] === undefined) return false;
  const dockerfile = dockerfileOf(service['build']);
  return dockerfile !== null && repo.dockerfileHasHealthcheck(dockerfile);
}

function isNoneTest(test: unknown): boolean {
  return Array.isArray(test) && test[0] === 'NONE';
}

function restartOf(service: Record<string, unknown>): string | undefined {
  const restart = service['restart'];
  return typeof restart === 'string' ? restart : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
