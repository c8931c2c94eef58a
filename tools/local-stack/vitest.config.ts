import { mergeConfig } from 'vitest/config';
import { defineWorkspaceProjectConfig } from '../../vitest.shared.ts';

// Node 20 has a WebSocket client only behind a flag (Node 22 has it on): the integration tests talk
// to the websocket-server with it rather than with a client library this tool does not depend on.
const webSocketFlag = typeof globalThis.WebSocket === 'undefined' ? ['--experimental-websocket'] : [];

export default mergeConfig(defineWorkspaceProjectConfig(import.meta.dirname), { test: { execArgv: webSocketFlag } });
