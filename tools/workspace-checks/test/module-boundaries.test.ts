import { resolve } from 'node:path';
import { createProjectGraphAsync } from '@nx/devkit';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const LIBS = ['market-calendar', 'shared-types', 'redis-keys'];

let eslint: ESLint;

// The Nx rule reads the cached project graph and silently skips itself without one: build it first,
// and check below that the rule really reports, so this test cannot pass by the rule not running.
beforeAll(async () => {
  await createProjectGraphAsync({ exitOnError: true });
  eslint = new ESLint({ cwd: root });
});

async function lintProbe(file: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, file) });
  return (result?.messages ?? []).map((m) => ({ rule: m.ruleId, message: m.message }));
}

describe('shared libraries cannot do I/O', () => {
  it.each(LIBS)('%s: importing ioredis fails lint', async (lib) => {
    const messages = await lintProbe(`libs/${lib}/src/probe.ts`, "import Redis from 'ioredis';\nexport const r = Redis;\n");
    expect(messages).toContainEqual({
      rule: '@nx/enforce-module-boundaries',
      message: expect.stringContaining('ioredis'),
    });
  });

  it.each(LIBS)('%s: importing a networking or file built-in fails lint', async (lib) => {
    for (const mod of ['node:net', 'fs', 'node:http']) {
      const messages = await lintProbe(`libs/${lib}/src/probe.ts`, `import * as m from '${mod}';\nexport const x = m;\n`);
      expect(messages, mod).toContainEqual({ rule: 'no-restricted-imports', message: expect.stringContaining(mod) });
    }
  });

  it('a lib may import another lib and its validation library', async () => {
    const messages = await lintProbe(
      'libs/redis-keys/src/probe.ts',
      "import { nyseCalendar } from '@scanner/market-calendar';\nimport { z } from 'zod';\nexport const x = [nyseCalendar, z];\n",
    );
    expect(messages).toEqual([]);
  });

  it("a lib's integration tests may use the real Redis client", async () => {
    const messages = await lintProbe('libs/redis-keys/test/probe.int.test.ts', "import Redis from 'ioredis';\nexport const r = Redis;\n");
    expect(messages).toEqual([]);
  });
});

describe("an app's pure core cannot do I/O or read the wall clock", () => {
  const CORE_DIRS = ['apps/websocket-server/src/core', 'apps/data-maintenance/src/core', 'apps/scanner-feed/src/core'];

  it.each(CORE_DIRS)('%s: importing ioredis, pg or a network built-in fails lint', async (dir) => {
    for (const mod of ['ioredis', 'pg', 'node:net']) {
      const messages = await lintProbe(`${dir}/probe.ts`, `import * as m from '${mod}';\nexport const x = m;\n`);
      expect(messages, mod).toContainEqual({ rule: 'no-restricted-imports', message: expect.stringContaining('pure') });
    }
  });

  it.each(CORE_DIRS)('%s: Date.now() and process.env fail lint', async (dir) => {
    const messages = await lintProbe(`${dir}/probe.ts`, 'export const t = Date.now();\nexport const e = process.env;\n');
    expect(messages.map((m) => m.rule)).toEqual(['no-restricted-properties', 'no-restricted-properties']);
  });

  it('the same code is fine in an adapter', async () => {
    const messages = await lintProbe(
      'apps/websocket-server/src/adapters/probe.ts',
      "import Redis from 'ioredis';\nexport const r = Redis;\nexport const t = Date.now();\n",
    );
    expect(messages).toEqual([]);
  });
});
