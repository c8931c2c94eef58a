import { describe, expect, it } from 'vitest';
import { COMMAND_TIMEOUT_MS, redisConnectionOptions } from './connection-options.js';

describe('redisConnectionOptions', () => {
  it('bounds every read on the commands connection, so a hung reconnect cannot leave a subscriber unanswered', () => {
    expect(redisConnectionOptions('commands')).toMatchObject({ commandTimeout: COMMAND_TIMEOUT_MS, maxRetriesPerRequest: 2 });
    expect(redisConnectionOptions('commands', 500).commandTimeout).toBe(500);
  });

  it('never times out the blocking stream read, and retries it without limit', () => {
    const stream = redisConnectionOptions('stream');
    expect(stream.commandTimeout).toBeUndefined();
    expect(stream.maxRetriesPerRequest).toBeNull();
    expect(redisConnectionOptions('subscriber').commandTimeout).toBeUndefined();
    expect(redisConnectionOptions('subscriber').connectionName).toBe('websocket-server:subscriber');
  });
});
