import { PassThrough } from 'node:stream';
import type { CliOutput } from '../../src/cli/cli-output.js';

/** A CliOutput that keeps the JSON lines, as a script reading stdout would get them. */
export function collectOutput(): CliOutput & { readonly lines: unknown[] } {
  const lines: unknown[] = [];
  return {
    lines,
    isTty: false,
    terminal: new PassThrough(),
    json: (value) => {
      lines.push(JSON.parse(JSON.stringify(value)));
    },
  };
}
