import { readFileSync } from 'node:fs';

/**
 * `npm start` runs `sh -c "tsx ... main.ts"`, and tsx runs this process. A SIGTERM sent to npm alone
 * (a process manager, an IDE's stop button) is forwarded to that `sh`, and dash dies of it without
 * passing it on: tsx is orphaned and the stack would keep running with nobody to stop it. So, under
 * npm, the stack watches its parent: once the parent has been re-parented, the shell above it is gone
 * and the stack stops as for a SIGTERM. Linux only (/proc): elsewhere /bin/sh execs tsx and npm's
 * signal reaches it.
 */

function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid ...: comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isInteger(ppid) ? ppid : null;
  } catch {
    return null;
  }
}

/** Calls `onOrphaned` once when the shell above the parent is gone; returns a function that stops watching. */
export function watchParentShell(onOrphaned: () => void, intervalMs = 1000): () => void {
  const parent = process.ppid;
  const grandparent = parentOf(parent);
  if (grandparent === null) return () => undefined;
  const timer = setInterval(() => {
    if (process.ppid !== parent || parentOf(parent) !== grandparent) {
      clearInterval(timer);
      onOrphaned();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
