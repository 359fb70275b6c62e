// Jobs follow CAD permissions (issue 22), on the built bundle, for each of the four frameworks' stand-ins
// (dev/emulator/frameworks): whoever sets a ruled job (another resource's boss menu or job centre, the
// framework's own admin command, a saved job at login), the job stays only with a player whose CAD account
// allows it; the CAD changing while they play removes it; and unknown is not "no": before the cache is
// ready, or while a player's account is unresolved, nothing is removed, and the check runs again when the
// answer arrives.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { esxStandIn, oxStandIn, qboxStandIn, qbcoreStandIn, type FrameworkStandIn } from '../../dev/emulator/frameworks';
import { PERMISSIONS } from '../../src/core/permissions';
import { startHarness, waitFor, type FakeCad, type Harness, type HarnessOptions } from './harness';
import { connectAs, strangerIdentifiers } from './players';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

interface Framework {
  setting: 'esx' | 'qbcore' | 'qbox' | 'ox';
  standIn: () => FrameworkStandIn;
  /** What a player holds once a ruled job was taken (ox_core removes the group; the others set the fallback). */
  afterRemoval: string[];
  /** A job-less start (ox_core: no group). */
  nothing: string[];
}

const FRAMEWORKS: Framework[] = [
  { setting: 'esx', standIn: () => esxStandIn(), afterRemoval: ['unemployed'], nothing: ['unemployed'] },
  { setting: 'qbcore', standIn: qbcoreStandIn, afterRemoval: ['unemployed'], nothing: ['unemployed'] },
  { setting: 'qbox', standIn: qboxStandIn, afterRemoval: ['unemployed'], nothing: ['unemployed'] },
  { setting: 'ox', standIn: oxStandIn, afterRemoval: [], nothing: [] },
];

const JOBS = { enabled: true, framework: 'auto', rules: { police: 'police', sheriff: 'police', ambulance: ['ems', 'fire'] } };

function accountWith(cad: FakeCad, flags: string[], status = 1) {
  const permissions = Object.fromEntries(PERMISSIONS.map((name) => [name, flags.includes(name)]));
  return cad.addAccount({ status, permissions: permissions as never });
}

/** Framework (and a boss-menu resource using it) started before this resource unless `late`. */
async function world(fw: Framework, opts: HarnessOptions & { late?: boolean; jobs?: Record<string, unknown> } = {}) {
  const standIn = fw.standIn();
  const startFramework = async (fx: Harness['fx']) => {
    await fx.startResource({ name: standIn.resource, main: standIn.main });
    await fx.startResource({ name: 'bossmenu', code: standIn.hireResource });
  };
  h = await startHarness({
    cad: { accounts: 20, seed: 22 },
    ...opts,
    config: { jobs: { ...JOBS, ...opts.jobs }, ...opts.config },
    beforeResource: async (fx) => {
      if (!opts.late) await startFramework(fx);
      await opts.beforeResource?.(fx);
    },
  });
  const officer = accountWith(h.cad, ['civilian', 'police']);
  const medic = accountWith(h.cad, ['civilian', 'ems']);
  const civilian = accountWith(h.cad, ['civilian']);
  if (opts.waitReady !== false) await h.fx.callExport('sonoran_accounts', 'refresh');
  return { standIn, officer, medic, civilian, startFramework: () => startFramework(h!.fx) };
}

const lostLines = () => h!.fx.consoleLines.filter((l) => l.includes(' lost '));
/** A few server ticks: long enough for anything the resource would do about what just happened. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await h!.fx.nextTick();
  await new Promise((r) => setTimeout(r, 30));
};
const jobsOf = (standIn: FrameworkStandIn, id: number | null) => standIn.jobsOf(id!);

describe.each(FRAMEWORKS)('jobs follow CAD permissions: $setting', (fw) => {
  it("another resource's boss menu sets a ruled job: kept by a CAD officer, taken from a civilian (told why), unruled jobs untouched", async () => {
    const { standIn, officer, civilian } = await world(fw);
    const cop = await connectAs(h!.fx, h!.cad, officer, 'Cop');
    const civ = await connectAs(h!.fx, h!.cad, civilian, 'Civ');
    standIn.login(cop.id!, 'unemployed');
    standIn.login(civ.id!, 'unemployed');
    await h!.fx.callExport('bossmenu', 'hire', cop.id, 'police', 1);
    await h!.fx.callExport('bossmenu', 'hire', civ.id, 'police', 1);
    await waitFor(() => lostLines().length === 1, 'the civilian loses police');
    expect(jobsOf(standIn, cop.id)).toEqual(['police']);
    expect(jobsOf(standIn, civ.id)).toEqual(fw.afterRemoval);
    expect(lostLines()).toEqual([expect.stringMatching(new RegExp(`player ${civ.id} \\(Civ\\) lost police: CAD account ${civilian.username} lacks the police permission`))]);
    expect(JSON.stringify(h!.fx.chatOf(civ.id!))).toMatch(/police.*police permission/);
    expect(h!.fx.chatOf(cop.id!)).toEqual([]);

    await h!.fx.callExport('bossmenu', 'hire', civ.id, 'mechanic', 1);
    await settle();
    expect(jobsOf(standIn, civ.id)).toEqual(['mechanic']);
    expect(lostLines()).toHaveLength(1);
  });

  it("the framework's own admin command sets a ruled job: the rule holds for any of the listed permissions", async () => {
    const { standIn, medic, civilian } = await world(fw);
    const ems = await connectAs(h!.fx, h!.cad, medic, 'Medic');
    const civ = await connectAs(h!.fx, h!.cad, civilian, 'Civ');
    standIn.login(ems.id!, 'unemployed');
    standIn.login(civ.id!, 'unemployed');
    standIn.adminSetJob(ems.id!, 'ambulance', 1);
    standIn.adminSetJob(civ.id!, 'ambulance', 1);
    await waitFor(() => lostLines().length === 1, 'the civilian loses ambulance');
    expect(jobsOf(standIn, ems.id)).toEqual(['ambulance']);
    expect(jobsOf(standIn, civ.id)).toEqual(fw.afterRemoval);
  });

  it('a saved ruled job at login: kept by the officer, taken from a player with no CAD account', async () => {
    const { standIn, officer } = await world(fw);
    const cop = await connectAs(h!.fx, h!.cad, officer, 'Cop');
    const stranger = await connectAs(h!.fx, h!.cad, null, 'Stranger');
    standIn.login(cop.id!, 'police', 2);
    standIn.login(stranger.id!, 'sheriff', 1);
    await waitFor(() => lostLines().length === 1, 'the stranger loses sheriff');
    expect(jobsOf(standIn, cop.id)).toEqual(['police']);
    expect(jobsOf(standIn, stranger.id)).toEqual(fw.afterRemoval);
    expect(lostLines()[0]).toMatch(/lost sheriff: no CAD account/);
  });

  it('a duty toggle changes nothing for an officer the CAD allows', async () => {
    const { standIn, officer } = await world(fw);
    const cop = await connectAs(h!.fx, h!.cad, officer, 'Cop');
    standIn.login(cop.id!, 'police', 1);
    standIn.toggleDuty(cop.id!);
    standIn.toggleDuty(cop.id!);
    await settle();
    expect(jobsOf(standIn, cop.id)).toEqual(['police']);
    expect(lostLines()).toEqual([]);
  });

  it('a CAD revoke while online takes the job at the sweep that brings it; a ban too, before the drop', async () => {
    const { standIn } = await world(fw);
    const a = accountWith(h!.cad, ['police']);
    const b = accountWith(h!.cad, ['police']);
    await h!.fx.callExport('sonoran_accounts', 'refresh');
    const revoked = await connectAs(h!.fx, h!.cad, a, 'Revoked');
    const banned = await connectAs(h!.fx, h!.cad, b, 'Banned');
    standIn.login(revoked.id!, 'police', 1);
    standIn.login(banned.id!, 'police', 1);
    await settle();
    expect(lostLines()).toEqual([]);
    h!.cad.revoke(a.uuid, 'police');
    h!.cad.ban(b.uuid);
    await h!.fx.callExport('sonoran_accounts', 'refresh');
    await waitFor(() => lostLines().length === 2, 'both lose police');
    expect(jobsOf(standIn, revoked.id)).toEqual(fw.afterRemoval);
    expect(lostLines().join('\n')).toMatch(new RegExp(`Revoked\\) lost police: CAD account ${a.username} lacks the police permission[\\s\\S]*Banned\\) lost police: CAD account ${b.username} is banned`));
    expect(h!.fx.droppedBy.map((d) => d.id)).toEqual([banned.id]);
  });

  it('an account made inactive in the CAD while its player is online takes the job', async () => {
    const { standIn, officer } = await world(fw, { config: { statuses: ['pending', 'active', 'banned'] } });
    const cop = await connectAs(h!.fx, h!.cad, officer, 'Cop');
    standIn.login(cop.id!, 'police', 1);
    h!.cad.updateAccount(officer.uuid, { status: 0 });
    await h!.fx.callExport('sonoran_accounts', 'refresh');
    await waitFor(() => lostLines().length === 1, 'the pending account loses police');
    expect(lostLines()[0]).toMatch(/is not active \(pending\)/);
  });

  it('cold start, cache not ready, connect burst with misses: nobody is demoted before an answer; the answers then decide', async () => {
    const sweepDown = { route: 'accounts' as const };
    const { standIn, officer, civilian } = await world(fw, {
      waitReady: false,
      config: { connect: { timeoutSeconds: 1 }, requestTimeoutSeconds: 2 },
      beforeStart: (cad) => void cad.fault('5xx', sweepDown),
    });
    const missedOfficer = accountWith(h!.cad, ['police']);
    const strangerIds = strangerIdentifiers();
    expect(h!.fx.callExport('sonoran_accounts', 'isReady')).toBe(false);
    // The first two connect lookups hang past the connect deadline: those players are admitted unresolved.
    const hang = h!.cad.fault('hang', { route: 'account', times: 2 });
    const burst = [
      await h!.fx.connectPlayer({ name: 'MissedCop', identifiers: h!.cad.identitiesOf(missedOfficer.uuid) }),
      await h!.fx.connectPlayer({ name: 'MissedStranger', identifiers: strangerIds }),
      await connectAs(h!.fx, h!.cad, officer, 'Cop'),
      await connectAs(h!.fx, h!.cad, civilian, 'Civ'),
    ];
    expect(burst.every((c) => c.accepted)).toBe(true);
    for (const c of burst.slice(0, 3)) standIn.login(c.id!, 'police', 1);
    standIn.login(burst[3]!.id!, 'unemployed');
    await h!.fx.callExport('bossmenu', 'hire', burst[3]!.id, 'sheriff', 1); // a job change while unknown: still nothing
    await settle();
    expect(lostLines()).toEqual([]);
    expect(burst.map((c) => jobsOf(standIn, c.id)).flat()).toEqual(['police', 'police', 'police', 'sheriff']);

    hang.clear();
    h!.cad.clearFaults();
    await h!.fx.callExport('sonoran_accounts', 'refresh');
    await waitFor(() => lostLines().length === 2, 'the civilian and the stranger lose their jobs');
    expect(jobsOf(standIn, burst[0]!.id)).toEqual(['police']);
    expect(jobsOf(standIn, burst[1]!.id)).toEqual(fw.afterRemoval);
    expect(jobsOf(standIn, burst[2]!.id)).toEqual(['police']);
    expect(jobsOf(standIn, burst[3]!.id)).toEqual(fw.afterRemoval);
  });

  it('the CAD unreachable for players the cache does not hold: their jobs wait for the answer, which the next sweep brings', async () => {
    const { standIn } = await world(fw, { config: { connect: { timeoutSeconds: 1 }, requestTimeoutSeconds: 2 } });
    const notCached = accountWith(h!.cad, ['civilian']); // linked after the last sweep
    const hang = h!.cad.fault('hang', { route: 'account' });
    const linked = await h!.fx.connectPlayer({ name: 'NotCached', identifiers: h!.cad.identitiesOf(notCached.uuid) });
    const stranger = await h!.fx.connectPlayer({ name: 'Stranger', identifiers: strangerIdentifiers() });
    standIn.login(linked.id!, 'police', 1);
    standIn.login(stranger.id!, 'police', 1);
    await settle();
    await new Promise((r) => setTimeout(r, 300));
    expect(lostLines()).toEqual([]);
    expect([jobsOf(standIn, linked.id), jobsOf(standIn, stranger.id)]).toEqual([['police'], ['police']]);
    hang.clear();
    await h!.fx.callExport('sonoran_accounts', 'refresh');
    await waitFor(() => lostLines().length === 2, 'both lose police once the sweep answered');
    expect(lostLines().join('\n')).toMatch(/NotCached\) lost police: CAD account .* lacks the police permission[\s\S]*Stranger\) lost police: no CAD account/);
  });

  it('the framework started after this resource (and restarted): enforced from its start', async () => {
    const { standIn, civilian, startFramework } = await world(fw, { late: true });
    const civ = await connectAs(h!.fx, h!.cad, civilian, 'Civ');
    await startFramework();
    standIn.login(civ.id!, 'police', 1);
    await waitFor(() => lostLines().length === 1, 'the civilian loses police');
    h!.fx.stopResource('bossmenu');
    h!.fx.stopResource(standIn.resource);
    await startFramework();
    standIn.login(civ.id!, 'police', 1);
    await waitFor(() => lostLines().length === 2, 'and again after the framework restarted');
    expect(jobsOf(standIn, civ.id)).toEqual(fw.afterRemoval);
  });
});

describe('jobs: which framework', () => {
  it('two unrelated frameworks started and framework "auto": a warning naming both, and no job touched', async () => {
    const esx = esxStandIn();
    const { standIn: qb, civilian } = await world(FRAMEWORKS[1]!, { beforeResource: async (fx) => void (await fx.startResource({ name: esx.resource, main: esx.main })) });
    const civ = await connectAs(h!.fx, h!.cad, civilian, 'Civ');
    qb.login(civ.id!, 'police', 1);
    esx.login(civ.id!, 'police', 1);
    await settle();
    expect(h!.fx.consoleLines.join('\n')).toMatch(/jobs\.framework is "auto" and both qb-core and es_extended are started/);
    expect([qb.jobsOf(civ.id!), esx.jobsOf(civ.id!)]).toEqual([['police'], ['police']]);
  });

  it('two frameworks started and framework set: only that one is enforced', async () => {
    const qb = qbcoreStandIn();
    const { standIn: esx, civilian } = await world(FRAMEWORKS[0]!, { jobs: { framework: 'esx' }, beforeResource: async (fx) => void (await fx.startResource({ name: qb.resource, main: qb.main })) });
    const civ = await connectAs(h!.fx, h!.cad, civilian, 'Civ');
    qb.login(civ.id!, 'police', 1);
    esx.login(civ.id!, 'police', 1);
    await waitFor(() => lostLines().length === 1, 'ESX loses police');
    expect([qb.jobsOf(civ.id!), esx.jobsOf(civ.id!)]).toEqual([['police'], ['unemployed']]);
  });

  it('Qbox and qb-core both started: "auto" takes Qbox (it provides qb-core) without a warning', async () => {
    const qb = qbcoreStandIn();
    const { standIn: qbx, civilian } = await world(FRAMEWORKS[2]!, { beforeResource: async (fx) => void (await fx.startResource({ name: qb.resource, main: qb.main })) });
    const civ = await connectAs(h!.fx, h!.cad, civilian, 'Civ');
    qbx.login(civ.id!, 'police', 1);
    await waitFor(() => lostLines().length === 1, 'Qbox loses police');
    expect(h!.fx.consoleLines.join('\n')).not.toMatch(/jobs\.framework is "auto" and/);
  });
});

describe('jobs: Qbox', () => {
  it('a ruled primary job is removed with RemovePlayerFromJob (no OnJobUpdate there), then set to the fallback so OnJobUpdate tells everyone', async () => {
    const { standIn, civilian } = await world(FRAMEWORKS[2]!);
    await h!.fx.startResource({ name: 'jobspy', code: `const seen = []; on('QBCore:Server:OnJobUpdate', (src, job) => seen.push(job.name)); on('qbx_core:server:onGroupUpdate', (src, job, grade) => seen.push(job + ':' + grade)); exports('seen', () => seen.splice(0));` });
    const civ = await connectAs(h!.fx, h!.cad, civilian, 'Civ');
    standIn.login(civ.id!, 'police', 1);
    await waitFor(() => lostLines().length === 1, 'police removed');
    expect(h!.fx.callExport('jobspy', 'seen')).toEqual(['police:undefined', 'unemployed']);
    expect(standIn.jobsOf(civ.id!)).toEqual(['unemployed']);
    await h!.fx.callExport('bossmenu', 'hire', civ.id, 'police', 1);
    await waitFor(() => lostLines().length === 2, 'police removed again');
    expect(standIn.jobsOf(civ.id!)).toEqual(['unemployed']);
  });

  it('a ruled secondary job added by a job centre (AddPlayerToJob: onGroupUpdate only) is removed; the primary stays', async () => {
    const { standIn, civilian } = await world(FRAMEWORKS[2]!, { exec: ['set qbx:max_jobs_per_player 3'] });
    const civ = await connectAs(h!.fx, h!.cad, civilian, 'Civ');
    standIn.login(civ.id!, 'mechanic', 1);
    await h!.fx.callExport('bossmenu', 'addJob', civ.id, 'sheriff', 0);
    await waitFor(() => lostLines().length === 1, 'sheriff removed');
    expect(standIn.jobsOf(civ.id!)).toEqual(['mechanic']);
  });
});

describe('jobs: this resource restarted with players online', () => {
  it('checks every online player at start: the snapshot answers for the accounts it holds; a player it does not hold waits for a sweep', async () => {
    const { standIn, civilian } = await world(FRAMEWORKS[0]!);
    const civ = await connectAs(h!.fx, h!.cad, civilian, 'Civ');
    const stranger = await connectAs(h!.fx, h!.cad, null, 'Stranger');
    standIn.login(civ.id!, 'mechanic', 1);
    standIn.login(stranger.id!, 'mechanic', 1);
    await waitFor(() => existsSync(join(h!.folder, 'cache/snapshot.json')), 'the snapshot written');
    h!.fx.stopResource('sonoran_accounts');
    standIn.adminSetJob(civ.id!, 'police', 1); // while this resource is stopped
    standIn.adminSetJob(stranger.id!, 'police', 1);
    const down = h!.cad.fault('5xx', { route: 'any' });
    h!.fx.consoleLines.splice(0);
    await h!.fx.startResource({ name: 'sonoran_accounts', path: h!.folder });
    await waitFor(() => h!.fx.callExport('sonoran_accounts', 'isReady') === true, 'ready from the snapshot');
    await waitFor(() => lostLines().length === 1, 'the civilian loses police at start');
    expect(lostLines()[0]).toMatch(/Civ\) lost police/);
    await settle();
    expect(standIn.jobsOf(stranger.id!)).toEqual(['police']);
    down.clear();
    await h!.fx.callExport('sonoran_accounts', 'refresh');
    await waitFor(() => lostLines().length === 2, 'the stranger loses police after the sweep');
  });
});

describe('jobs: a job-change event whose payload is already stale', () => {
  it('ESX: a resource that changes the job again inside esx:setJob: the later job stands, nothing is taken on the older payload', async () => {
    const REASSIGN = `const ESX = exports.es_extended.getSharedObject();
on('esx:setJob', (src, job) => { if (job.name === 'police') ESX.GetPlayerFromId(src).setJob('mechanic', 0); });`;
    // Started before this resource: its handler runs first, and its nested esx:setJob reaches us before the original.
    const { standIn, civilian } = await world(FRAMEWORKS[0]!, { beforeResource: async (fx) => void (await fx.startResource({ name: 'reassign', code: REASSIGN })) });
    const civ = await connectAs(h!.fx, h!.cad, civilian, 'Civ');
    standIn.login(civ.id!, 'unemployed');
    await h!.fx.callExport('bossmenu', 'hire', civ.id, 'police', 1);
    await settle();
    expect(standIn.jobsOf(civ.id!)).toEqual(['mechanic']);
    expect(lostLines()).toEqual([]);
  });
});

describe('jobs: ESX 1.10', () => {
  it('xPlayer.setJob(job, grade) without the duty argument 1.11 added: the removal works there too', async () => {
    const { standIn, civilian, officer } = await world({ ...FRAMEWORKS[0]!, standIn: () => esxStandIn({ version: '1.10' }) });
    const civ = await connectAs(h!.fx, h!.cad, civilian, 'Civ');
    const cop = await connectAs(h!.fx, h!.cad, officer, 'Cop');
    standIn.login(civ.id!, 'police', 1);
    standIn.login(cop.id!, 'police', 1);
    await waitFor(() => lostLines().length === 1, 'the civilian loses police');
    expect([standIn.jobsOf(civ.id!), standIn.jobsOf(cop.id!)]).toEqual([['unemployed'], ['police']]);
  });
});
