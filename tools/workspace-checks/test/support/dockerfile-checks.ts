/** One thing wrong with an app's Dockerfile, with a stable code a test can expect. */
export interface DockerfileProblem {
  readonly code: 'SINGLE_STAGE' | 'RUNS_AS_ROOT' | 'DEV_DEPENDENCIES' | 'MISSING_WORKSPACE' | 'NO_HEALTHCHECK' | 'WRONG_HEALTHCHECK';
  readonly message: string;
}

export interface DockerfileExpectations {
  /** Repo-relative folders of the workspaces the app needs: itself and every @scanner/* it depends on. */
  readonly workspaces: readonly string[];
  /** A path the HEALTHCHECK must request (e.g. '/healthz'); null when the app serves no port. */
  readonly healthPath: string | null;
}

/** The instructions of a Dockerfile, continuation lines joined and comments dropped. */
export function instructions(text: string): string[] {
  const joined = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/**
 * The image rules every app Dockerfile keeps: multi-stage, the final stage installs production
 * dependencies only (npm ci --omit=dev) of the workspaces it needs, runs as a non-root user and, for a
 * server, declares a HEALTHCHECK on its health route.
 */
export function checkDockerfile(text: string, expected: DockerfileExpectations): DockerfileProblem[] {
  const all = instructions(text);
  const starts = all.flatMap((line, i) => (/^FROM\s/i.test(line) ? [i] : []));
  const problems: DockerfileProblem[] = [];
  if (starts.length < 2) problems.push({ code: 'SINGLE_STAGE', message: 'expected a build stage and a runtime stage' });
  const final = all.slice(starts.at(-1) ?? 0);

  const user = final.filter((line) => /^USER\s/i.test(line)).at(-1)?.split(/\s+/)[1];
  if (user === undefined || user === 'root' || user === '0' || user.startsWith('0:')) {
    problems.push({ code: 'RUNS_AS_ROOT', message: `the runtime stage runs as ${user ?? 'root (no USER)'}` });
  }

  const installs = final.filter((line) => /^RUN\s.*\bnpm\s+(ci|install)\b/i.test(line));
  if (installs.length === 0 || installs.some((line) => !/--omit[= ]dev\b/.test(line))) {
    problems.push({ code: 'DEV_DEPENDENCIES', message: 'the runtime stage must install with npm ci --omit=dev' });
  }

  // npm resolves a workspace dependency whose package.json is absent from the registry instead.
  for (const [stage, lines] of [['build', all.slice(0, starts.at(-1) ?? 0)], ['runtime', final]] as const) {
    for (const dir of expected.workspaces) {
      const copied = lines.some((line) => new RegExp(`^COPY\\s+(?!--from)(.*\\s)?${escape(dir)}/package\\.json\\s`, 'i').test(line));
      if (!copied) problems.push({ code: 'MISSING_WORKSPACE', message: `the ${stage} stage does not copy ${dir}/package.json` });
    }
  }

  if (expected.healthPath !== null) {
    const healthcheck = final.find((line) => /^HEALTHCHECK\s/i.test(line));
    if (healthcheck === undefined || /^HEALTHCHECK\s+NONE\b/i.test(healthcheck)) {
      problems.push({ code: 'NO_HEALTHCHECK', message: `expected a HEALTHCHECK on ${expected.healthPath}` });
    } else if (!new RegExp(`${escape(expected.healthPath)}['"]`).test(healthcheck)) {
      problems.push({ code: 'WRONG_HEALTHCHECK', message: `the HEALTHCHECK does not request ${expected.healthPath}` });
    }
  }
  return problems;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
