/**
 * The embedded PostgreSQL refuses to run as root, so when the stack runs as root it runs the server as
 * the unprivileged `postgres` user, which must be able to enter every folder above its data folder.
 * A checkout under /root (0700) is the usual trap: found here, before initdb fails obscurely.
 */

export interface DirEntry {
  readonly path: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

export interface UnixUser {
  readonly uid: number;
  readonly gid: number;
}

/** Whether `user` may enter (search) the directory: the owner, group or other execute bit that applies. */
export function canEnter(entry: DirEntry, user: UnixUser): boolean {
  if (user.uid === 0) return true;
  if (entry.uid === user.uid) return (entry.mode & 0o100) !== 0;
  if (entry.gid === user.gid) return (entry.mode & 0o010) !== 0;
  return (entry.mode & 0o001) !== 0;
}

/** The first of the existing folders (outermost first) the user cannot enter, or null. */
export function firstUnenterable(entries: readonly DirEntry[], user: UnixUser): string | null {
  return entries.find((entry) => !canEnter(entry, user))?.path ?? null;
}

/** Every folder from the root down to `path` itself, outermost first. */
export function ancestorsOf(path: string): string[] {
  const parts = path.split('/').filter((p) => p !== '');
  return ['/', ...parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}`)];
}
