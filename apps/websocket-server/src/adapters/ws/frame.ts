import type { ServerMessageType } from '@scanner/shared-types';

/** One encoded server message: the UTF-8 bytes are made once and the same Buffer goes to every recipient. */
export interface Frame {
  readonly type: ServerMessageType;
  readonly data: Buffer;
}

export function frameOf(type: ServerMessageType, text: string): Frame {
  return { type, data: Buffer.from(text, 'utf8') };
}
