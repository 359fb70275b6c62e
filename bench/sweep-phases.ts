// Where a 50k sweep's heap and its longest event-loop block go: the sweep's records vs the index maps,
// and the synchronous steps account-cache.ts runs after the last page (index build, diff, snapshot),
// timed one by one on the same accounts.
import { createIndexBuilder, emptyIndex, type AccountIndex } from '../src/core/account-index';
import { createCadClient } from '../src/core/api/client';
import { diffIndexes } from '../src/core/diff';
import { createNodeTransport } from '../src/core/http/node-transport';
import { createScheduler, intervalFor } from '../src/core/scheduler';
import { saveSnapshot } from '../src/core/snapshot';
import { unsliced } from '../src/core/slices';
import { sweepAccounts } from '../src/core/sweep';
import type { CachedAccount } from '../src/core/types';
import { serverClock } from '../src/fivem/clock';
import type { CadHandle } from './cad';
import { coreConfig, discardFiles, FAST, fmt, gc, median, progress, record, sleep } from './util';

/** Total CPU time of a step run unsliced (in the resource it is cut into ~2 ms slices). */
async function time(fn: () => unknown, rounds = 3): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

function buildIndex(accounts: ReadonlyMap<string, CachedAccount>): AccountIndex {
  const builder = createIndexBuilder();
  for (const a of accounts.values()) builder.add(a);
  return builder.finish().index;
}

/** The sweep alone (no cache): its accounts, by uuid. Own function, so nothing else stays reachable. */
async function sweepOnly(cad: CadHandle): Promise<ReadonlyMap<string, CachedAccount>> {
  const config = coreConfig(cad, FAST);
  const client = createCadClient({ config, transport: createNodeTransport(), now: Date.now });
  const scheduler = createScheduler(serverClock, intervalFor(1, FAST));
  const { accounts } = await sweepAccounts({ client, scheduler, clock: serverClock, statuses: config.statuses });
  scheduler.stop();
  return accounts;
}

const heapNow = async () => {
  await sleep(10);
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers; // the store's typed arrays are outside the V8 heap
};

export async function attributeBlock(cad: CadHandle): Promise<void> {
  const h0 = await heapNow();
  const accounts = await sweepOnly(cad);
  const h1 = await heapNow();
  const index = buildIndex(accounts);
  const h2 = await heapNow();
  const n = accounts.size;
  const records = (h1 - h0) / n;
  const maps = (h2 - h1) / n;
  record({
    group: 4,
    metric: 'heap split: the sweep\'s records (+uuid Map) / the compact index built from them',
    value: `${Math.round(records)} / ${Math.round(maps)}`,
    unit: 'B per account',
    detail: {
      accounts: n,
      recordsBytesPerAccount: records,
      indexMapsBytesPerAccount: maps,
      note: "records = the sweep's CachedAccount objects with their strings, apiIds arrays and masks, held by its Map by uuid (~40 B of Map per account); index = the compact store (account-store.ts: columns, typed arrays counted) with its ID map, uuid and name tables and normalized key strings; the strings it shares with the records count under records",
    },
  });

  // The diff the cache runs (diffIndexes, over the two indexes' columns): against an empty index (a first
  // sweep: every account added) and against an index of the same accounts (a steady sweep, none changed).
  const empty = emptyIndex();
  const again = buildIndex(accounts);
  const phases: Record<string, number> = {
    indexBuild: await time(() => void buildIndex(accounts)),
    diffFirstSweep: await time(() => diffIndexes(empty, index)),
    diffUnchanged: await time(() => diffIndexes(index, again)),
    snapshotSave: await time(() => saveSnapshot(discardFiles(), 'cache/snapshot.json', 'owner', accounts.values(), Date.now(), unsliced)),
  };
  const swap = phases.indexBuild! + phases.diffUnchanged! + phases.snapshotSave!;
  progress(`phases (${fmt(n)} accounts): ${Object.entries(phases).map(([k, v]) => `${k} ${fmt(v)} ms`).join(', ')}`);
  record({
    group: 5,
    metric: 'work after the last page, 50k (index + diff + snapshot), run in slices',
    value: `${fmt(swap)} ms (snapshot ${fmt(phases.snapshotSave!)})`,
    detail: { accounts: n, phasesMs: phases, note: 'CPU time of the steps after the last page in account-cache.ts sweep(), measured unsliced; the resource runs them in ~2 ms slices with a yield between' },
  });
}
