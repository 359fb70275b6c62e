// Framework objects across runtimes (issue 22): a Lua framework's export hands a table whose functions
// are Lua closures. FXServer packs it with msgpack (citizen-scripting-lua's MsgpackSerializer, main.js's
// unpacker on the JS side): each function becomes a function reference (ext 10) the JS side can call
// later, the table itself arrives as a copy, several Lua return values arrive as an array, no value as
// undefined, and an empty Lua table as an empty array. Framework stand-ins are written as host functions
// run in a resource of their own (`main`), so everything they hand out crosses the same boundary.
import { afterEach, describe, expect, it } from 'vitest';
import { createFxServer, type FxServer } from '../../dev/emulator';
import { luaReturns, luaTable } from '../../dev/emulator/lua-values';

let fx: FxServer;
afterEach(() => fx?.close());

/** A tiny "framework": a core object whose functions hand out player tables with closures. */
function miniFramework(g: Record<string, any>) {
  const jobs = new Map<number, string>([[1, 'police']]);
  const playerTable = (src: number) =>
    luaTable({
      source: src,
      job: { name: jobs.get(src) },
      items: {},
      setJob: (job: string) => {
        jobs.set(src, job);
        g.TriggerEvent('mini:setJob', src, job);
      },
    });
  const core = {
    GetPlayer: (src: number) => (jobs.has(Number(src)) ? playerTable(Number(src)) : luaReturns()),
    TryJob: (job: string) => (job === 'police' ? luaReturns(true) : luaReturns(false, { code: 'job_not_found', message: `no job ${job}` })),
    Invoker: () => g.GetInvokingResource(),
  };
  g.exports('GetCore', () => core);
}

const CONSUMER = `
  const seen = [];
  on('mini:setJob', (src, job) => seen.push([src, job]));
  exports('run', async () => {
    const core = exports.mini.GetCore();
    const player = core.GetPlayer(1);
    const before = player.job.name;
    player.job.name = 'changed locally';
    await new Promise((r) => setTimeout(r, 20)); // a reference stays callable after the call that brought it
    player.setJob('ambulance');
    return {
      before,
      after: core.GetPlayer(1).job.name,
      missingIsUndefined: core.GetPlayer(2) === undefined,
      ok: core.TryJob('police'),
      failed: core.TryJob('pilot'),
      emptyTable: player.items,
      invoker: core.Invoker(),
      seen,
    };
  });
  exports('later', () => exports.mini.GetCore());
`;

describe('Lua framework objects cross as function references', () => {
  it('functions in a returned table are callable later, the table is a copy, Lua returns arrive as Lua sends them', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'mini', main: miniFramework });
    await fx.startResource({ name: 'consumer', code: CONSUMER });
    const out = (await fx.callExport('consumer', 'run')) as Record<string, unknown>;
    expect(out).toEqual({
      before: 'police',
      after: 'ambulance',
      missingIsUndefined: true,
      ok: true,
      failed: [false, { code: 'job_not_found', message: 'no job pilot' }],
      emptyTable: [],
      invoker: 'consumer',
      seen: [[1, 'ambulance']],
    });
  });

  it('a reference into a framework that stopped throws FXServer\'s nested ref error', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'mini', main: miniFramework });
    await fx.startResource({ name: 'consumer', code: `let core; exports('take', () => { core = exports.mini.GetCore(); }); exports('use', () => { try { core.GetPlayer(1); return 'called'; } catch (e) { return String(e.message); } });` });
    fx.callExport('consumer', 'take');
    fx.stopResource('mini');
    expect(fx.callExport('consumer', 'use')).toMatch(/^Error in nested ref call for consumer/);
  });
});
