import { describe, expect, it } from 'vitest';
import { classifySocketIoFrame, eventPacket, socketIoUrl } from './socketio-wire.js';

describe('socket.io wire packets', () => {
  it('classifies the engine.io and socket.io packets a client sees', () => {
    const kind = (text: string) => classifySocketIoFrame(Buffer.from(text)).kind;
    expect(kind('0{"sid":"a","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}')).toBe('open');
    expect(kind('2')).toBe('ping');
    expect(kind('1')).toBe('close');
    expect(kind('40{"sid":"b"}')).toBe('connected');
    expect(kind('44{"message":"Invalid namespace"}')).toBe('connect_error');
    expect(kind('41')).toBe('disconnect');
    expect(kind('42["delta",{}]')).toBe('event');
    expect(kind('6')).toBe('other');
  });

  it('encodes an EVENT on the main namespace and the WebSocket-only handshake URL', () => {
    expect(eventPacket('subscribe_list', { list: 'winners' })).toBe('42["subscribe_list",{"list":"winners"}]');
    expect(socketIoUrl('ws://127.0.0.1:9000/')).toBe('ws://127.0.0.1:9000/socket.io/?EIO=4&transport=websocket');
  });
});
