// The framework stand-ins (dev/emulator/frameworks) behave like the frameworks they copy, seen from another
// resource: the call, its arguments, which event fires with which arguments, and what does not fire.
import { afterEach, describe, expect, it } from 'vitest';
import { createFxServer, type FxServer } from '../../dev/emulator';
import { esxStandIn, oxStandIn, qboxStandIn, qbcoreStandIn, type FrameworkStandIn } from '../../dev/emulator/frameworks';

let fx: FxServer;
afterEach(() => fx?.close());

const SPY = (events: string[]) => `
const seen = [];
for (const name of ${JSON.stringify(events)}) on(name, (...args) => seen.push([name, ...args.map((a) => (a && typeof a === 'object' ? (a.name ?? a.PlayerData?.job?.name ?? 'table') : a))]));
exports('seen', () => seen.splice(0));`;

async function world(standIn: FrameworkStandIn, events: string[]) {
  fx = createFxServer();
  await fx.startResource({ name: standIn.resource, main: standIn.main });
  await fx.startResource({ name: 'spy', code: SPY(events) });
  await fx.startResource({ name: 'bossmenu', code: standIn.hireResource });
  const { id } = await fx.connectPlayer({ name: 'Officer', identifiers: ['license:abc', 'steam:110000100000001'] });
  return { id: id!, seen: () => fx.callExport('spy', 'seen') as unknown[][] };
}

describe('framework stand-ins', () => {
  it('ESX: setJob fires esx:setJob (source, job, lastJob); an unknown job only prints a warning; duty goes through setJob', async () => {
    const esx = esxStandIn();
    const { id, seen } = await world(esx, ['esx:playerLoaded', 'esx:setJob']);
    esx.login(id, 'mechanic', 1);
    expect(seen()).toEqual([['esx:playerLoaded', id, 'table', false]]);
    fx.callExport('bossmenu', 'hire', id, 'police', 2);
    expect(seen()).toEqual([['esx:setJob', id, 'police', 'mechanic']]);
    fx.callExport('bossmenu', 'hire', id, 'pilot', 0);
    expect(seen()).toEqual([]);
    expect(fx.consoleLines.join('\n')).toContain('Ignoring invalid .setJob() usage');
    esx.toggleDuty(id);
    expect(seen()).toEqual([['esx:setJob', id, 'police', 'police']]);
    expect(fx.stateOf(id).job).toMatchObject({ value: { name: 'police', grade: 2, onDuty: false } });
  });

  it('QBCore: SetJob and a duty toggle both fire OnJobUpdate (src, job); login fires PlayerLoaded then OnJobUpdate', async () => {
    const qb = qbcoreStandIn();
    const { id, seen } = await world(qb, ['QBCore:Server:PlayerLoaded', 'QBCore:Server:OnJobUpdate', 'QBCore:Server:SetDuty']);
    qb.login(id, 'police', 1);
    expect(seen()).toEqual([['QBCore:Server:PlayerLoaded', 'police'], ['QBCore:Server:OnJobUpdate', id, 'police']]);
    expect(fx.callExport('bossmenu', 'hire', id, 'Ambulance', 0)).toBe(true);
    expect(fx.callExport('bossmenu', 'hire', id, 'pilot', 0)).toBe(false);
    expect(seen()).toEqual([['QBCore:Server:OnJobUpdate', id, 'ambulance']]);
    fx.emitNet('QBCore:ToggleDuty', id);
    expect(seen()).toEqual([['QBCore:Server:OnJobUpdate', id, 'ambulance'], ['QBCore:Server:SetDuty', id, false]]);
  });

  it('Qbox: SetJob fires onGroupUpdate and OnJobUpdate; removing the primary job fires onGroupUpdate (src, job) only', async () => {
    const qbx = qboxStandIn();
    const { id, seen } = await world(qbx, ['QBCore:Server:PlayerLoaded', 'QBCore:Server:OnJobUpdate', 'qbx_core:server:onGroupUpdate']);
    qbx.login(id, 'mechanic', 0);
    seen();
    expect(fx.callExport('bossmenu', 'hire', id, 'police', 1)).toBe(true);
    expect(seen()).toEqual([
      ['qbx_core:server:onGroupUpdate', id, 'mechanic'],
      ['qbx_core:server:onGroupUpdate', id, 'police', 1],
      ['QBCore:Server:OnJobUpdate', id, 'police'],
    ]);
    expect(fx.callExport('bossmenu', 'hire', id, 'police', 9)).toBe(false);
    expect(fx.callExport('bossmenu', 'fire', id, 'police')).toBe(true);
    expect(seen()).toEqual([['qbx_core:server:onGroupUpdate', id, 'police']]);
    expect(qbx.jobsOf(id)).toEqual(['unemployed']);
    expect(fx.callExport('bossmenu', 'fire', id, 'unemployed')).toEqual([false, { code: 'unemployed', message: 'players cannot be removed from the unemployed job' }]);
  });

  it('ox_core: setGroup is async and fires ox:setGroup (source, group, grade|null); grade 0 removes', async () => {
    const ox = oxStandIn();
    const { id, seen } = await world(ox, ['ox:playerLoaded', 'ox:setGroup']);
    ox.login(id, 'police', 2);
    expect(seen()).toEqual([['ox:playerLoaded', id, 1, 1]]);
    await expect(fx.callExport('bossmenu', 'hire', id, 'ambulance', 1)).resolves.toBeNull(); // one job-type group at a time (undefined crosses as nil)
    await expect(fx.callExport('ox_core', 'CallPlayer', id, 'setGroup', 'police', 0)).resolves.toBe(true);
    await expect(fx.callExport('bossmenu', 'hire', id, 'ambulance', 1)).resolves.toBe(true);
    expect(seen()).toEqual([['ox:setGroup', id, 'police', null], ['ox:setGroup', id, 'ambulance', 1]]);
    expect(fx.callExport('ox_core', 'CallPlayer', id, 'getGroups')).toEqual({ ambulance: 1 });
  });
});
