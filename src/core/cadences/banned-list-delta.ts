// The ban watch's reading of the banned list without re-reading every page every run (issue 21: at
// 50,000 accounts the list is 15 pages, and on v2 a third of 10 calls a minute reads it every 4.5 min).
// The list as last read is remembered, in order. A ban puts one entry somewhere in it (the CAD lists
// accounts in its own stable order, not newest first), which shifts every page after it by one: a page
// read equal to the remembered one at the same offset means no new entry before its end, so a binary
// search over pages finds the page holding a new ban in about log2(pages) calls. Everything that is not
// "entries inserted" (an unban, a reorder, a ban and an unban that cancel out in the total) is a
// mismatch that these insertions cannot explain: the caller then reads the list whole, as before.
// That covers what no total shows too: every run also re-reads one more page in turn (a rotating
// check), so on a list that holds still every entry is read again within `pages` runs, and a page that
// moved under the check sends the run to a whole read.
//
// Pure over an injected page reader: the ban watch passes the CAD (and hands every account read to the
// intake); the property test passes a list it changes between runs.

/** One page as read: the list's total then, and its entries in order (an account's uuid, or a key for a record without one). */
export interface ListPage {
  total: number;
  keys: readonly string[];
}

export type ReadPage = (offset: number) => Promise<ListPage>;

export type DeltaOutcome =
  /** The remembered list brought up to date with what this run read (`checked`: the next rotating check page). */
  | { kind: 'current'; list: string[]; checked: number; pages: number }
  /** Something besides insertions changed: read the list whole. */
  | { kind: 'whole'; pages: number };

/** Searches started again in one run because the list grew while it was read. */
const MAX_RESTARTS = 2;

export const pagesOf = (total: number, size: number): number => Math.max(1, Math.ceil(total / size));

/** True when `keys` read at `offset` are exactly what the remembered list holds there. */
export function samePage(list: readonly string[], offset: number, keys: readonly string[], size: number): boolean {
  const expected = list.slice(offset, offset + size);
  return expected.length === keys.length && expected.every((k, i) => k === keys[i]);
}

/**
 * The remembered list with the page read at `offset` put in, when that page is the remembered entries
 * from `offset` on with new ones between them (insertions, nothing before `offset` changed); null when
 * it is not (an entry gone, moved or repeated).
 */
export function insertPage(list: readonly string[], offset: number, keys: readonly string[]): string[] | null {
  const known = new Map<string, number>();
  list.forEach((k, i) => known.set(k, i));
  const out = list.slice(0, offset);
  const fresh = new Set<string>();
  let next = offset;
  for (const k of keys) {
    const at = known.get(k);
    if (at === undefined) {
      if (fresh.has(k)) return null;
      fresh.add(k);
    } else if (at !== next++) return null;
    out.push(k);
  }
  return out.concat(list.slice(next));
}

/** The list read whole (possibly while it moved): entries in order, each once. */
export function wholeList(keys: Iterable<string>): string[] {
  return [...new Set(keys)];
}

/**
 * One run: page 0 (the total), then, while the list holds more than remembered, the first page that
 * differs (binary search) read and put in; then the rotating check page `check` (1..pages-1).
 */
export async function readDelta(remembered: readonly string[], read: ReadPage, size: number, check: number): Promise<DeltaOutcome> {
  /** Pages read in this run, by index (forgotten when the search starts again). */
  const seen = new Map<number, ListPage>();
  let calls = 0;
  const at = async (page: number) => {
    const known = seen.get(page);
    if (known) return known;
    calls += 1;
    const answer = await read(page * size);
    seen.set(page, answer);
    return answer;
  };
  const first = await at(0);
  let total = first.total;
  const whole = (): DeltaOutcome => ({ kind: 'whole', pages: calls });
  // One page is the whole list: nothing to compare it with.
  if (total <= size && first.keys.length === total) return { kind: 'current', list: wholeList(first.keys), checked: 0, pages: 1 };
  if (total < remembered.length) return whole();
  let list: string[] = remembered.slice();
  /** Pages before this one are known to match the list. */
  let lo = 0;
  let moved = false;
  let restarts = 0;
  while (moved || lo < pagesOf(total, size)) {
    if (moved) {
      // More bans while this run read (the total grew): search again from page 0 with the new total
      // (a new entry may sit before pages already matched). A list that keeps moving: the next run.
      if (restarts++ >= MAX_RESTARTS) break;
      seen.clear();
      const again = await at(0);
      if (again.total < total) break;
      [total, lo, moved] = [again.total, 0, false];
    }
    const known = seen.get(lo);
    let hi: number;
    if (known && !samePage(list, lo * size, known.keys, size)) hi = lo;
    // The last page differs whenever the lengths do, so the search ends on a differing page.
    else if (list.length !== total) hi = pagesOf(total, size) - 1;
    else break;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const page = await at(mid);
      if (page.total !== total) moved = true;
      if (samePage(list, mid * size, page.keys, size)) lo = mid + 1;
      else hi = mid;
    }
    const page = await at(lo);
    if (page.total !== total) moved = true;
    const patched = insertPage(list, lo * size, page.keys);
    if (patched === null || patched.length === list.length) {
      if (moved) continue; // read while the list moved: not evidence of anything but insertions
      return whole();
    }
    list = patched;
    lo += 1;
  }
  // More than the total (an unban the insertions hid), or the list moved during the run: what was read
  // is in, and the next run finds the rest (a shorter list there: read whole).
  if (list.length > total && !moved) return whole();
  const pages = pagesOf(total, size);
  let checked = 0;
  if (pages > 1) {
    const page = check >= 1 && check < pages ? check : 1;
    const answer = await at(page);
    if (!moved && answer.total === total && !samePage(list, page * size, answer.keys, size)) return whole();
    checked = page + 1 < pages ? page + 1 : 1;
  }
  return { kind: 'current', list, checked, pages: calls };
}
