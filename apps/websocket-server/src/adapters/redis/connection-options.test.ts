import { describe, expect, it } from 'vitest';
import { redisConnectionOptions } from './connection-options.js';

describe('redisConnectionOptions', () => {
  it('bounds every read on the commands connection, so a hung reconnect cannot leave a subscriber unanswered', () => {
    expect(redisConnectionOptions('commands', 5_000)).toMatchObject({ commandTimeout: 5_000, maxRetriesPerRequest: 2 });
    expect(redisConnectionOptions('commands', 500).commandTimeout).toBe(500);
  });

  it('never times out the blocking stream read, and retries it without limit', () => {
    const stream = redisConnectionOptions('stream', 5_000);
    expect(stream.commandTimeout).toBeUndefined();
    expect(stream.maxRetriesPerRequest).toBeNull();
    expect(redisConnectionOptions('subscriber', 5_000).commandTimeout).toBeUndefined();
    expect(redisConnectionOptions('subscriber', 5_000).connectionName).toBe('websocket-server:subscriber');
  });
});
