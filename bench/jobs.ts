// 3c. The cost of one job-change check (issue 22; target < 50 us of this resource's own work):
//   - in process: the ESX adapter, the guard and the verdict for an officer holding police, with ESX's
//     GetPlayerFromId an in-process function, so only this resource's own work is timed;
//   - in the emulator, with the built bundle: ESX's setJob (the es_extended stand-in) with the guard on
//     and, side by side, in a second emulator with jobs.enabled off; the difference is what the guard
//     adds to a job change there, the unpacking of esx:setJob's payload into this resource included
//     (the job comes from the event; the framework is only asked again before a removal).
import { rmSync } from 'node:fs';
import { createFxServer, type FxServer } from '../dev/emulator';
import { esxStandIn } from '../dev/emulator/frameworks';
import { startFakeCad } from '../dev/fake-cad';
import { resourceFolder } from '../dev/resource-folder';
import { createJobGuard } from '../src/core/jobs/guard';
import { compileJobRules } from '../src/core/jobs/verdict';
import { maskFromFlags } from '../src/core/permissions';
import type { CachedAccount } from '../src/core/types';
import { esxAdapter } from '../src/fivem/jobs/esx';
import type { FxHost } from '../src/fivem/host';
import { median, progress, record, sleep } from './util';

const RULES = { police: ['police'], sheriff: ['police'], ambulance: ['ems', 'fire'] };

function ownWork(): number {
  const officer: CachedAccount = { uuid: 'u', username: 'officer', communityUserId: null, apiIds: [], status: 1, joined: '', lastLogin: '', observedAt: 0, ...maskFromFlags({ civilian: true, police: true }) };
  const xPlayer = { source: 1, identifier: 'char1:abc', job: { name: 'police', grade: 1 }, setJob() {} };
  const esx = { GetPlayerFromId: (id: number) => (id === 1 ? xPlayer : undefined) };
  const host = { callExport: () => esx } as unknown as FxHost;
  const adapter = esxAdapter(host);
  let removed = 0;
  const guard = createJobGuard<number>({
    rules: compileJobRules(RULES),
    knowledge: () => ({ ready: true, account: officer, answered: true }),
    held: (id) => adapter.held(id),
    remove: () => void removed++,
  });
  const N = 200_000;
  const rounds: number[] = [];
  for (let round = 0; round < 7; round++) {
    const t0 = performance.now();
    for (let i = 0; i < N; i++) guard.check(1);
    rounds.push(((performance.now() - t0) * 1000) / N);
  }
  if (removed !== 0) throw new Error('the officer lost police in the bench');
  return median(rounds.slice(2));
}

async function emulated(jobsEnabled: boolean, cad: Awaited<ReturnType<typeof startFakeCad>>, identifiers: string[]) {
  const folder = resourceFolder({ jobs: { enabled: jobsEnabled }, rateLimit: { v1PerSecond: 1000, v2PerMinute: 60_000 } });
  const fx: FxServer = createFxServer({ convars: { sonoran_communityID: cad.communityId, sonoran_apiKey: cad.apiKey, sonoran_apiUrl: cad.url } });
  const esx = esxStandIn();
  await fx.startResource({ name: esx.resource, main: esx.main });
  await fx.startResource({ name: 'sonoran_accounts', path: folder });
  while (fx.callExport('sonoran_accounts', 'isReady') !== true) await sleep(20);
  const { id } = await fx.connectPlayer({ name: 'Officer', identifiers });
  esx.login(id!, 'police', 1);
  const perChange = (n: number) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) esx.adminSetJob(id!, 'police', i & 1);
    return ((performance.now() - t0) * 1000) / n;
  };
  return { fx, folder, esx, id: id!, perChange };
}

export async function jobsBenchmark(): Promise<void> {
  const own = ownWork();
  record({ group: 3, metric: 'one job-change check, own work (in process: ESX adapter + guard + verdict, officer holding police)', value: own, unit: 'us', target: '< 50', ok: own < 50 });

  const cad = await startFakeCad({ apiKey: 'BENCH-KEY', communityId: 'bench-community', accounts: 200, seed: 22, rateLimit: false });
  const officer = cad.accounts.find((a) => a.status === 1 && a.permissions.police)!;
  const on = await emulated(true, cad, cad.identitiesOf(officer.uuid));
  const off = await emulated(false, cad, cad.identitiesOf(officer.uuid));
  progress('jobs: ESX setJob in two emulators (jobs on / off), interleaved');
  const N = 2_000;
  on.perChange(500);
  off.perChange(500);
  const withGuard: number[] = [];
  const without: number[] = [];
  for (let round = 0; round < 7; round++) {
    withGuard.push(on.perChange(N));
    without.push(off.perChange(N));
  }
  if (on.esx.jobsOf(on.id)?.[0] !== 'police') throw new Error('the officer lost police in the emulator bench');
  const a = median(withGuard);
  const b = median(without);
  record({ group: 3, metric: 'ESX setJob in the emulator, jobs guard on vs off (per change; the difference is the guard, the unpack of the event into this resource included)', value: `${a.toFixed(1)} vs ${b.toFixed(1)} us: +${(a - b).toFixed(1)} us` });
  for (const w of [on, off]) {
    await w.fx.close();
    rmSync(w.folder, { recursive: true, force: true });
  }
  await cad.close();
}
