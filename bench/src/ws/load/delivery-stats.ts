import { SCANNER_LISTS } from '@scanner/shared-types';
import { EMPTY_HISTOGRAM, type LatencyHistogram, LatencyRecorder, mergeHistograms } from '../latency-histogram.js';
import { BenchError } from '../../report/bench-error.js';

const LIST_INDEX = new Map<string, number>(SCANNER_LISTS.map((list, index) => [list, index]));

/** Index of a list name in SCANNER_LISTS, or -1 for anything else. */
export function listIndexOf(list: string | null): number {
  return list === null ? -1 : (LIST_INDEX.get(list) ?? -1);
}

export type DeltaFit = 'in_order' | 'gap' | 'stale' | 'unheld';

/**
 * One client's position per list, as a real client keeps it (docs/protocol.md 4.1): a snapshot sets it,
 * a delta must be exactly the next sequence. -1: no snapshot held.
 */
export class ListPositions {
  private readonly sequences = new Int32Array(SCANNER_LISTS.length).fill(-1);
  private held = 0;

  /** Lists with a snapshot. */
  get heldCount(): number {
    return this.held;
  }

  onSnapshot(list: number, sequence: number): void {
    if (this.sequences[list] === -1) this.held += 1;
    this.sequences[list] = sequence;
  }

  onDelta(list: number, sequence: number): DeltaFit {
    const current = this.sequences[list];
    if (current === undefined) throw new BenchError('INVALID_ARGUMENT', `no list has index ${list}`);
    if (current === -1) return 'unheld';
    if (sequence <= current) return 'stale';
    this.sequences[list] = sequence;
    return sequence === current + 1 ? 'in_order' : 'gap';
  }

  /** A new trading day: every table is dropped (the subscriptions stay). */
  dropAll(): void {
    this.sequences.fill(-1);
    this.held = 0;
  }
}

/** What a load generator counted during a measurement window (all its clients). */
export interface WindowCounts {
  readonly messages: number;
  readonly bytes: number;
  readonly deltas: number;
  readonly snapshots: number;
  readonly gaps: number;
  readonly stale: number;
  readonly unheld: number;
  readonly errors: number;
  /** Frames whose fast field reading was checked against a full JSON.parse, and those that disagreed. */
  readonly crossChecked: number;
  readonly crossCheckMismatches: number;
}

export interface WindowReport {
  readonly counts: WindowCounts;
  readonly latency: LatencyHistogram;
}

const ZERO: WindowCounts = {
  messages: 0,
  bytes: 0,
  deltas: 0,
  snapshots: 0,
  gaps: 0,
  stale: 0,
  unheld: 0,
  errors: 0,
  crossChecked: 0,
  crossCheckMismatches: 0,
};

/** Counters shared by every client of one generator; only counted while the window is open. */
export class DeliveryStats {
  open = false;
  private sinceCrossCheck = 0;

  /** @param crossCheckEvery every n-th frame of the generator (all its clients) is cross-checked; 0: never. */
  constructor(private readonly crossCheckEvery = 0) {}
  private counts: { -readonly [K in keyof WindowCounts]: number } = { ...ZERO };
  private readonly latency = new LatencyRecorder();

  start(): void {
    this.counts = { ...ZERO };
    this.latency.reset();
    this.open = true;
  }

  stop(): WindowReport {
    this.open = false;
    return { counts: { ...this.counts }, latency: this.latency.histogram() };
  }

  /** The window's counts so far, leaving it open. */
  current(): WindowCounts {
    return { ...this.counts };
  }

  message(bytes: number): void {
    if (!this.open) return;
    this.counts.messages += 1;
    this.counts.bytes += bytes;
  }

  delta(fit: DeltaFit, latencyMs: number | null): void {
    if (!this.open) return;
    this.counts.deltas += 1;
    if (fit === 'gap') this.counts.gaps += 1;
    else if (fit === 'stale') this.counts.stale += 1;
    else if (fit === 'unheld') this.counts.unheld += 1;
    if (latencyMs !== null) this.latency.record(latencyMs);
  }

  snapshot(): void {
    if (this.open) this.counts.snapshots += 1;
  }

  error(): void {
    if (this.open) this.counts.errors += 1;
  }

  /** True for every n-th frame seen in the window: that frame is also fully parsed and compared. */
  dueForCrossCheck(): boolean {
    if (!this.open || this.crossCheckEvery === 0) return false;
    this.sinceCrossCheck += 1;
    if (this.sinceCrossCheck < this.crossCheckEvery) return false;
    this.sinceCrossCheck = 0;
    return true;
  }

  crossCheck(agreed: boolean): void {
    if (!this.open) return;
    this.counts.crossChecked += 1;
    if (!agreed) this.counts.crossCheckMismatches += 1;
  }
}

/** The window of every generator as one. */
export function mergeWindowReports(reports: readonly WindowReport[]): WindowReport {
  const counts = { ...ZERO };
  for (const report of reports) {
    for (const key of Object.keys(counts) as Array<keyof WindowCounts>) counts[key] += report.counts[key];
  }
  return { counts, latency: reports.length === 0 ? EMPTY_HISTOGRAM : mergeHistograms(reports.map((r) => r.latency)) };
}
