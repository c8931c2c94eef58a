/** GET /demo-config.json, served by the websocket-server (src/adapters/http/static-files.ts). */
export interface DemoConfig {
  readonly wsPath: string;
  readonly authRequired: boolean;
}

/** Checks the answer's shape, so a wrong server or a proxy's error page fails with a clear sentence. */
export function parseDemoConfig(value: unknown): DemoConfig {
  if (typeof value !== 'object' || value === null) throw new Error('demo-config.json is not a JSON object');
  const { wsPath, authRequired } = value as Record<string, unknown>;
  if (typeof wsPath !== 'string' || !wsPath.startsWith('/')) throw new Error('demo-config.json: wsPath must be a path starting with /');
  if (typeof authRequired !== 'boolean') throw new Error('demo-config.json: authRequired must be true or false');
  return { wsPath, authRequired };
}
