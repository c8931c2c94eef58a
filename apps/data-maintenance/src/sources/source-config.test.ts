import { describe, expect, it } from 'vitest';
import { createMarketDataSource } from './create-source.js';
import { redactSourceConfig, sourceConfigSchema } from './source-config.js';
import { SyntheticMarketDataSource } from './synthetic/synthetic-source.js';

function problems(env: Record<string, string>): Record<string, string> {
  const result = sourceConfigSchema.safeParse(env);
  if (result.success) return {};
  return Object.fromEntries(result.error.issues.map((issue) => [String(issue.path[0]), issue.message]));
}

describe('sourceConfigSchema', () => {
  it('reads a polygon config with its defaults', () => {
    expect(sourceConfigSchema.parse({ POLYGON_API_KEY: 'k' })).toEqual({
      kind: 'polygon',
      apiKey: 'k',
      baseUrl: 'https://api.polygon.io',
      requestsPerSecond: 50,
      concurrency: 16,
      timeoutMs: 30_000,
      maxRetries: 5,
      floatEnabled: true,
    });
  });

  it('reads every polygon variable', () => {
    const config = sourceConfigSchema.parse({
      MARKET_DATA_SOURCE: 'POLYGON',
      POLYGON_API_KEY: ' secret ',
      POLYGON_BASE_URL: 'https://api.massive.com/',
      POLYGON_RPS: '0.083',
      POLYGON_CONCURRENCY: '4',
      POLYGON_TIMEOUT_MS: '5000',
      POLYGON_MAX_RETRIES: '0',
      POLYGON_FLOAT_ENABLED: 'false',
    });
    expect(config).toEqual({
      kind: 'polygon',
      apiKey: 'secret',
      baseUrl: 'https://api.massive.com',
      requestsPerSecond: 0.083,
      concurrency: 4,
      timeoutMs: 5000,
      maxRetries: 0,
      floatEnabled: false,
    });
    expect(JSON.stringify(redactSourceConfig(config))).not.toContain('secret');
  });

  it('requires the API key for polygon and the directory for flat files, naming the variable', () => {
    expect(problems({})).toEqual({ POLYGON_API_KEY: expect.stringContaining('required when MARKET_DATA_SOURCE=polygon') });
    expect(problems({ MARKET_DATA_SOURCE: 'flatfiles' })).toEqual({ FLATFILES_DIR: expect.stringContaining('required') });
    expect(sourceConfigSchema.parse({ MARKET_DATA_SOURCE: 'flatfiles', FLATFILES_DIR: '/data/polygon' })).toEqual({
      kind: 'flatfiles',
      dir: '/data/polygon',
    });
  });

  it('reads a synthetic config and ignores variables of other programs', () => {
    expect(sourceConfigSchema.parse({ MARKET_DATA_SOURCE: 'synthetic', SYNTHETIC_UNIVERSE_SIZE: '50', SYNTHETIC_SEED: '-7', HOME: '/root' })).toEqual({
      kind: 'synthetic',
      universeSize: 50,
      seed: -7,
    });
  });

  it('names every bad variable at once, even those of a source not chosen', () => {
    const found = problems({
      MARKET_DATA_SOURCE: 'yahoo',
      POLYGON_RPS: '-1',
      POLYGON_CONCURRENCY: '0',
      POLYGON_TIMEOUT_MS: 'soon',
      POLYGON_BASE_URL: 'ftp://x',
      POLYGON_FLOAT_ENABLED: 'maybe',
      SYNTHETIC_UNIVERSE_SIZE: '1.5',
    });
    expect(Object.keys(found).sort()).toEqual([
      'MARKET_DATA_SOURCE',
      'POLYGON_BASE_URL',
      'POLYGON_CONCURRENCY',
      'POLYGON_FLOAT_ENABLED',
      'POLYGON_RPS',
      'POLYGON_TIMEOUT_MS',
      'SYNTHETIC_UNIVERSE_SIZE',
    ]);
  });
});

describe('createMarketDataSource', () => {
  it('builds the synthetic source from its config', async () => {
    const source = createMarketDataSource(sourceConfigSchema.parse({ MARKET_DATA_SOURCE: 'synthetic', SYNTHETIC_UNIVERSE_SIZE: '7', SYNTHETIC_SEED: '5' }));
    expect(source).toBeInstanceOf(SyntheticMarketDataSource);
    expect(source.name).toBe('synthetic');
    expect(await source.dailyBars('2026-11-20')).toEqual(await new SyntheticMarketDataSource({ universeSize: 7, seed: 5 }).dailyBars('2026-11-20'));
    await source.close();
  });

  it('builds the polygon and flat-file sources', async () => {
    const polygon = createMarketDataSource(sourceConfigSchema.parse({ POLYGON_API_KEY: 'k' }));
    expect(polygon.name).toBe('polygon');
    await polygon.close();
    const flat = createMarketDataSource(sourceConfigSchema.parse({ MARKET_DATA_SOURCE: 'flatfiles', FLATFILES_DIR: '/nonexistent' }));
    expect(flat.name).toBe('flatfiles');
    await flat.close();
  });
});
