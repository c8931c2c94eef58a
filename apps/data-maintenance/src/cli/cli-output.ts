/** Where a command writes: JSON lines for scripts on stdout; logs and errors go elsewhere (stderr). */
export interface CliOutput {
  /** One JSON value per line. */
  json(value: unknown): void;
  /** Whether stdout is a terminal (progress bar instead of JSON lines). */
  readonly isTty: boolean;
  /** The terminal stream for a progress bar; only used when isTty. */
  readonly terminal: NodeJS.WritableStream;
}

export function streamOutput(stdout: NodeJS.WriteStream): CliOutput {
  return {
    json: (value) => stdout.write(`${JSON.stringify(value)}\n`),
    isTty: stdout.isTTY === true,
    terminal: stdout,
  };
}
