import { BenchError } from '../report/bench-error.js';

/** The parts of a V8 `.cpuprofile` (inspector Profiler.stop, `node --cpu-prof`) this reads. */
export interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  }>;
  readonly samples: readonly number[];
  /** Microseconds before each sample. */
  readonly timeDeltas: readonly number[];
}

export interface ProfileFrame {
  /** `function (location:line)`, location shortened to the package or repository path. */
  readonly frame: string;
  readonly selfMs: number;
  /** Share of the busy (non-idle) sampled time. */
  readonly percentOfBusy: number;
}

export interface ProfileSummary {
  readonly sampledMs: number;
  readonly idleMs: number;
  readonly top: readonly ProfileFrame[];
}

/** node_modules/<pkg>/... -> <pkg>/...; the repository root dropped; node internals kept as they are. */
export function shortLocation(url: string, repoRoot: string): string {
  if (url === '') return '';
  const path = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) return path.slice(modules + '/node_modules/'.length);
  const root = repoRoot.endsWith('/') ? repoRoot : `${repoRoot}/`;
  return path.startsWith(root) ? path.slice(root.length) : path;
}

/** Self time per function (samples attributed to the node they hit), largest first. */
export function summarizeProfile(profile: CpuProfile, repoRoot: string, top = 15): ProfileSummary {
  if (profile.samples.length !== profile.timeDeltas.length) {
    throw new BenchError('INVALID_ARGUMENT', `a profile with ${profile.samples.length} samples and ${profile.timeDeltas.length} time deltas`);
  }
  const frameOf = new Map<number, string>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const location = shortLocation(url, repoRoot);
    const name = functionName === '' ? '(anonymous)' : functionName;
    // lineNumber is 0-based in the profile.
    frameOf.set(node.id, location === '' ? name : `${name} (${location}:${lineNumber + 1})`);
  }
  const selfMicros = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const micros = Math.max(0, profile.timeDeltas[i] ?? 0);
    const frame = frameOf.get(id) ?? '(unknown)';
    selfMicros.set(frame, (selfMicros.get(frame) ?? 0) + micros);
    total += micros;
  });
  const idle = selfMicros.get('(idle)') ?? 0;
  const busy = total - idle;
  const frames = [...selfMicros.entries()]
    .filter(([frame]) => frame !== '(idle)')
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([frame, micros]) => ({ frame, selfMs: micros / 1000, percentOfBusy: busy === 0 ? 0 : (100 * micros) / busy }));
  return { sampledMs: total / 1000, idleMs: idle / 1000, top: frames };
}
