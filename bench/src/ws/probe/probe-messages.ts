/** IPC between the main process and the probe loaded into a server under test (`node --import`). */
export type ProbeRequest =
  /** `resetLoopDelay`: the event-loop delay histogram starts over right after this sample (a window starts). */
  | { readonly probe: number; readonly kind: 'sample'; readonly gc: boolean; readonly resetLoopDelay: boolean }
  | { readonly probe: number; readonly kind: 'profile-start' }
  | { readonly probe: number; readonly kind: 'profile-stop'; readonly path: string };

export interface ProbeSample {
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  readonly externalBytes: number;
  /** Cumulative process CPU (process.cpuUsage), microseconds. */
  readonly cpuUserMicros: number;
  readonly cpuSystemMicros: number;
  /** Event-loop delay since the last reset (perf_hooks.monitorEventLoopDelay), milliseconds. */
  readonly loopDelayP50Ms: number;
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
  /** The process's own clock when sampled. */
  readonly at: number;
}

export type ProbeReply =
  | { readonly probe: number; readonly ok: true; readonly result: ProbeSample | null | { readonly path: string } }
  | { readonly probe: number; readonly ok: false; readonly message: string };
