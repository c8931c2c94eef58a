import { readFileSync, readdirSync } from 'node:fs';

/**
 * The stack starts every child as the leader of its own process group, so "nothing left" means none
 * of those pids alive and no process in any of those groups: whatever a child started (tsx's esbuild
 * service, PostgreSQL's backends). Read from /proc (Linux, where these tests run).
 */
export function processesInGroups(groups: readonly number[]): Array<{ pid: number; pgid: number; command: string }> {
  const wanted = new Set(groups);
  const found: Array<{ pid: number; pgid: number; command: string }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so split after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pgid = Number(fields[2]);
      if (fields[0] !== 'Z' && (wanted.has(pgid) || wanted.has(Number(entry)))) found.push({ pid: Number(entry), pgid, command: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim() });
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}
