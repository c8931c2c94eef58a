import { encodeSnapshot, type ScannerList } from '@scanner/shared-types';
import { LRUCache } from 'lru-cache';
import type { ListState } from '../../core/list-state.js';
import { type Frame, frameOf } from '../ws/frame.js';

/**
 * `lastSnapshots`: the current state of each list, kept current by applying every delta from the
 * stream. States are immutable (a delta makes a new one), so each state's encoded snapshot is built at
 * most once, when the first subscriber needs it, and dropped with the state.
 */
export class LastSnapshots {
  private readonly cache: LRUCache<ScannerList, ListState>;
  private readonly encoded = new WeakMap<ListState, Frame>();

  constructor(max: number) {
    this.cache = new LRUCache({ max });
  }

  get(list: ScannerList): ListState | undefined {
    return this.cache.get(list);
  }

  set(state: ListState): void {
    this.cache.set(state.list, state);
  }

  delete(list: ScannerList): void {
    this.cache.delete(list);
  }

  clear(): number {
    const size = this.cache.size;
    this.cache.clear();
    return size;
  }

  get size(): number {
    return this.cache.size;
  }

  snapshotFrame(state: ListState): Frame {
    let frame = this.encoded.get(state);
    if (frame === undefined) {
      frame = frameOf(
        'snapshot',
        encodeSnapshot({ list: state.list, epoch: state.epoch, sequence: state.sequence, rows: state.rows, timestamp: state.timestamp }),
      );
      this.encoded.set(state, frame);
    }
    return frame;
  }
}
