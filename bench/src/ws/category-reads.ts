import { SCANNER_LISTS, type ScannerList } from '@scanner/shared-types';

/** The lists whose `scanner:category:<L>` key (of `prefix`) a GET or MGET reads; empty for any other command. */
export function categoryListsRead(args: readonly string[], prefix: string): ScannerList[] {
  const command = args[0]?.toLowerCase();
  if (command !== 'get' && command !== 'mget') return [];
  const head = `${prefix}scanner:category:`;
  const lists: ScannerList[] = [];
  for (const key of args.slice(1)) {
    if (!key.startsWith(head)) continue;
    const list = key.slice(head.length);
    if ((SCANNER_LISTS as readonly string[]).includes(list)) lists.push(list as ScannerList);
  }
  return lists;
}

/** Reads of category keys, counted per command (one GET/MGET = one read of each list it names). */
export class CategoryReadTally {
  private readonly perList = new Map<ScannerList, number>();
  private commandCount = 0;

  add(args: readonly string[], prefix: string): void {
    const lists = categoryListsRead(args, prefix);
    if (lists.length === 0) return;
    this.commandCount += 1;
    for (const list of lists) this.perList.set(list, (this.perList.get(list) ?? 0) + 1);
  }

  get commands(): number {
    return this.commandCount;
  }

  /** Reads of each list (lists never read are absent). */
  byList(): ReadonlyMap<ScannerList, number> {
    return new Map(this.perList);
  }

  /** Total list reads (an MGET of two category keys counts two). */
  get listReads(): number {
    let total = 0;
    for (const n of this.perList.values()) total += n;
    return total;
  }
}
