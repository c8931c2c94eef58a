import { formatLogLine } from './format-log-line.js';

/** Where every line of `npm start` goes: the stack's own (`[stack] ...`) and each child's, prefixed. */
export interface StackLog {
  stack(message: string): void;
  child(prefix: string, line: string): void;
}

export function createStackLog(write: (text: string) => void): StackLog {
  return {
    stack: (message) => write(`[stack] ${message}\n`),
    child: (prefix, line) => {
      if (line.trim() !== '') write(`${formatLogLine(prefix, line)}\n`);
    },
  };
}
