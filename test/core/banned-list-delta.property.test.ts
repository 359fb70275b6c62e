// The ban watch's delta reading of the banned list (core/cadences/banned-list-delta.ts) against a list
// that bans, unbans and reorders change between runs, run as the watch runs it (a whole read when there
// is nothing remembered or the delta cannot explain what it sees). What a user would notice: a banned
// account is read again (so its ban reaches the cache) within a bounded number of runs whatever happens
// to the list, and a new ban costs about log2(pages) calls instead of every page.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pagesOf, readDelta, wholeList, type ListPage } from '../../src/core/cadences/banned-list-delta';

const RUNS = Number(process.env.FC_RUNS ?? 300);
const SEED = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
const SIZE = 10;

type Change = { kind: 'ban' | 'unban' | 'swap' | 'move'; a: number; b: number };
const changeArb = fc.record({ kind: fc.constantFrom('ban', 'unban', 'swap', 'move'), a: fc.nat(), b: fc.nat() }) as fc.Arbitrary<Change>;

/** The CAD's banned list and the watch's memory of it; each run reads as ban-watch.ts does. */
function watchOver(initial: number) {
  let fresh = 0;
  const list = Array.from({ length: initial }, () => `u${fresh++}`);
  let remembered: string[] | null = null;
  let check = 1;
  /** Changes made while a run reads: before the page read n (counted over all runs) is answered. */
  const duringRead = new Map<number, Change[]>();
  let reads = 0;
  const read = (readKeys: Set<string>) => async (offset: number): Promise<ListPage> => {
    for (const c of duringRead.get(reads++) ?? []) apply(c);
    const keys = list.slice(offset, offset + SIZE);
    for (const k of keys) readKeys.add(k);
    return { total: list.length, keys };
  };
  const wholeRead = async (reader: (offset: number) => Promise<ListPage>) => {
    const keys: string[] = [];
    let pages = 0;
    for (let offset = 0; ; offset += SIZE) {
      const page = await reader(offset);
      pages += 1;
      keys.push(...page.keys);
      if (offset + SIZE >= page.total) return { list: wholeList(keys), pages };
    }
  };
  function apply(c: Change) {
    if (c.kind === 'ban') list.splice(c.a % (list.length + 1), 0, `u${fresh++}`);
    else if (list.length === 0) return;
    else if (c.kind === 'unban') list.splice(c.a % list.length, 1);
    else if (c.kind === 'swap') {
      const [i, j] = [c.a % list.length, c.b % list.length];
      [list[i], list[j]] = [list[j]!, list[i]!];
    } else list.splice(c.b % list.length, 0, list.splice(c.a % list.length, 1)[0]!);
  }
  return {
    list,
    apply,
    duringRead,
    async run() {
      const readKeys = new Set<string>();
      const reader = read(readKeys);
      let pages = 0;
      let whole = remembered === null;
      if (remembered !== null) {
        const delta = await readDelta(remembered, reader, SIZE, check);
        pages += delta.pages;
        if (delta.kind === 'current') [remembered, check] = [delta.list, delta.checked];
        else whole = true;
      }
      if (whole) {
        const read = await wholeRead(reader);
        pages += read.pages;
        [remembered, check] = [read.list, 1];
      }
      return { readKeys, pages, whole, remembered: remembered! };
    },
  };
}

describe('property: the banned list read by delta', () => {
  it('every account banned before a run and still banned is read within F runs (F = the most pages the list had, less one)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 60 }), fc.array(fc.oneof(fc.constant([]), fc.array(changeArb, { maxLength: 3 })), { minLength: 1, maxLength: 40 }), async (initial, between) => {
        const watch = watchOver(initial);
        /** key -> the run since which it has waited to be read. */
        const waiting = new Map<string, number>();
        let maxPages = pagesOf(watch.list.length, SIZE);
        const runs: { readKeys: Set<string> }[] = [];
        for (let r = 0; r <= between.length; r++) {
          if (r > 0) for (const c of between[r - 1]!) watch.apply(c);
          maxPages = Math.max(maxPages, pagesOf(watch.list.length, SIZE));
          for (const k of watch.list) if (!waiting.has(k)) waiting.set(k, r);
          for (const k of waiting.keys()) if (!watch.list.includes(k)) waiting.delete(k);
          const { readKeys } = await watch.run();
          runs.push({ readKeys });
          for (const k of readKeys) if (waiting.has(k)) waiting.set(k, r + 1);
          for (const [k, since] of waiting) expect(r + 1 - since, `${k} unread since run ${since}, now after run ${r}`).toBeLessThanOrEqual(Math.max(1, maxPages - 1));
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('changes while a run reads (between its pages): once the list holds still, the remembered list is the list and every account is read within F runs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 60 }),
        fc.array(fc.tuple(fc.nat({ max: 80 }), changeArb), { maxLength: 12 }),
        fc.integer({ min: 1, max: 12 }),
        async (initial, during, moving) => {
          const watch = watchOver(initial);
          for (const [n, c] of during) watch.duringRead.set(n, [...(watch.duringRead.get(n) ?? []), c]);
          for (let r = 0; r < moving; r++) await watch.run();
          watch.duringRead.clear();
          // The list holds still from here: F = pages - 1 runs to read it all, and one more for a whole
          // read a check page asks for.
          const pages = pagesOf(watch.list.length, SIZE);
          const read = new Set<string>();
          let last: string[] = [];
          for (let r = 0; r < Math.max(1, pages - 1) + 1; r++) {
            const run = await watch.run();
            for (const k of run.readKeys) read.add(k);
            last = run.remembered;
          }
          expect(watch.list.filter((k) => !read.has(k))).toEqual([]);
          expect(last).toEqual(watch.list);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('a run that sees only new bans reads at most ceil(log2(pages)) + 2 pages per ban, plus one page in turn; nothing whole', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 200 }), fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: 1, maxLength: 20 }), async (initial, bansBetween) => {
        const watch = watchOver(initial);
        await watch.run();
        for (const bans of bansBetween) {
          for (const at of bans) watch.apply({ kind: 'ban', a: at, b: 0 });
          const pages = pagesOf(watch.list.length, SIZE);
          const run = await watch.run();
          expect(run.whole).toBe(false);
          expect(run.remembered).toEqual(watch.list);
          const bound = pages === 1 ? 1 : 1 + bans.length * (Math.ceil(Math.log2(pages)) + 1) + 1;
          expect(run.pages).toBeLessThanOrEqual(bound);
          if (bans.length === 1) expect(run.pages).toBeLessThanOrEqual(Math.ceil(Math.log2(pages)) + 3);
          for (const k of watch.list.filter((k) => !run.remembered.includes(k))) throw new Error(`${k} missing`);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('bans while a run searches are found by the same run (the search starts again), not the next one', async () => {
    const watch = watchOver(150);
    await watch.run();
    watch.apply({ kind: 'ban', a: 37, b: 0 });
    watch.apply({ kind: 'ban', a: 121, b: 0 });
    // Two pages into the search, two more bans: before the first found one and after it.
    watch.duringRead.set(150 / SIZE + 2, [
      { kind: 'ban', a: 5, b: 0 },
      { kind: 'ban', a: 140, b: 0 },
    ]);
    const run = await watch.run();
    expect([run.whole, run.remembered]).toEqual([false, watch.list]);
  });

  it('a run with nothing changed reads two pages (page 0 and one in turn) on a long list, one on a short one', async () => {
    const watch = watchOver(145);
    await watch.run();
    const seen = new Set<string>();
    for (let r = 0; r < 14; r++) {
      const run = await watch.run();
      expect([run.pages, run.whole]).toEqual([2, false]);
      for (const k of run.readKeys) seen.add(k);
    }
    expect(seen.size).toBe(145);
    const short = watchOver(7);
    await short.run();
    expect((await short.run()).pages).toBe(1);
  });
});
