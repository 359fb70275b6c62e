// Players, deferrals (with FXServer's one-tick rule), commands, ACE inheritance, state bags, chat.
import { afterEach, describe, expect, it } from 'vitest';
import { createFxServer, type FxServer } from '../../dev/emulator';

let fx: FxServer;
afterEach(() => fx?.close());

const IDS = ['license:abc', 'steam:110000100000001', 'ip:1.2.3.4'];

describe('deferrals', () => {
  it('a correct handler (defer, tick, update, tick, done) lets the player in with no violation', async () => {
    fx = createFxServer();
    await fx.startResource({
      name: 'gate',
      code: `on('playerConnecting', (name, setKick, d) => { d.defer(); setTimeout(() => { d.update('checking'); setTimeout(() => d.done(), 0); }, 0); });`,
    });
    const c = await fx.connectPlayer({ name: 'Ann', identifiers: IDS });
    expect(c).toMatchObject({ accepted: true, updates: ['checking'], violations: [] });
    expect(c.id).toBe(1);
    expect(c.tempId).toBeGreaterThanOrEqual(65536);
  });

  it('A DELIBERATELY BROKEN deferral (done in the same tick as defer) is recorded as a violation', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'gate', code: `on('playerConnecting', (n, k, d) => { d.defer(); d.done('nope'); });` });
    const c = await fx.connectPlayer({ name: 'Ann', identifiers: IDS });
    expect(c.violations).toEqual(['done in the same tick as the previous deferral call']);
    expect(c).toMatchObject({ accepted: false, reason: 'nope' });
  });

  it('an await of a resolved promise is still the same tick', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'gate', code: `on('playerConnecting', async (n, k, d) => { d.defer(); await Promise.resolve(); d.update('x'); await new Promise(r => setTimeout(r, 0)); d.done(); });` });
    const c = await fx.connectPlayer({ name: 'Ann', identifiers: IDS });
    expect(c.violations).toEqual(['update in the same tick as the previous deferral call']);
    expect(c.accepted).toBe(true);
  });

  it('setKickReason + CancelEvent without deferring rejects; a never-done deferral times out', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'gate', code: `on('playerConnecting', (n, setKick, d) => { if (n === 'Kick') { setKick('go away'); CancelEvent(); } else if (n === 'Stall') d.defer(); });` });
    expect(await fx.connectPlayer({ name: 'Kick', identifiers: IDS })).toMatchObject({ accepted: false, reason: 'go away' });
    expect(await fx.connectPlayer({ name: 'Stall', identifiers: IDS, timeoutMs: 50 })).toMatchObject({ accepted: false, timedOut: true });
  });

  it('playerJoining re-keys the temp id (old id as argument, new id as source); playerDropped; DropPlayer', async () => {
    fx = createFxServer();
    await fx.startResource({
      name: 'track',
      code: `const log = []; let tempSource;
        on('playerConnecting', () => { tempSource = source; log.push(['connecting', typeof source, GetPlayerName(source), getPlayerIdentifiers(source).length]); });
        on('playerJoining', (oldId) => log.push(['joining', oldId === String(tempSource), source, getPlayers()]));
        on('playerDropped', (reason) => log.push(['dropped', source, reason]));
        exports('log', () => log); exports('kick', (id) => DropPlayer(id, 'bye'));`,
    });
    const c = await fx.connectPlayer({ name: 'Ann', identifiers: IDS });
    fx.callExport('track', 'kick', String(c.id));
    expect(fx.callExport('track', 'log')).toEqual([
      ['connecting', 'number', 'Ann', 3],
      ['joining', true, 1, ['1']],
      ['dropped', 1, 'bye'],
    ]);
    expect(fx.droppedBy).toEqual([{ id: 1, reason: 'bye' }]);
    expect(fx.players()).toEqual([]);
  });
});

describe('commands and ACE', () => {
  const CMDS = `RegisterCommand('open', (src, args) => console.log('open by ' + src + ' ' + args.join(',')), false);
    RegisterCommand('admin', (src) => console.log('admin by ' + src), true);
    exports('grant', (line) => ExecuteCommand(line));
    exports('allowed', (src, ace) => IsPlayerAceAllowed(src, ace));`;

  it('restricted commands need command.<name>; the console always may', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'c', code: CMDS });
    const { id } = await fx.connectPlayer({ name: 'Ann', identifiers: IDS });
    fx.command(id!, 'open a "b c"');
    fx.command(id!, 'admin');
    fx.command(0, 'admin');
    expect(fx.consoleLines.filter((l) => l.startsWith('[c]'))).toEqual(['[c] open by 1 a,b c', '[c] admin by 0']);
    expect(fx.deniedCommands).toEqual([{ source: 1, command: 'admin' }]);
    fx.exec('add_ace group.admin command allow');
    fx.exec(`add_principal identifier.license:abc group.admin`);
    fx.command(id!, 'admin');
    expect(fx.consoleLines).toContain('[c] admin by 1');
  });

  it('inheritance: player → identifier → group → builtin.everyone; deny beats allow; dot prefixes', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'c', code: CMDS });
    const { id } = await fx.connectPlayer({ name: 'Ann', identifiers: IDS });
    fx.exec('add_ace builtin.everyone chat.say allow');
    fx.exec('add_principal group.mod group.staff');
    fx.exec('add_ace group.staff mdt allow');
    fx.exec(`add_principal player.${id} group.mod`);
    expect(fx.isAceAllowed(id!, 'chat.say')).toBe(true);
    expect(fx.isAceAllowed(id!, 'mdt.use')).toBe(true);
    fx.exec('add_ace group.mod mdt.use deny');
    expect(fx.isAceAllowed(id!, 'mdt.use')).toBe(false);
    expect(fx.isAceAllowed(id!, 'mdt.view')).toBe(true);
    expect(fx.isAceAllowed(id!, 'other')).toBe(false);
    expect(fx.callExport('c', 'allowed', String(id), 'mdt.view')).toBe(true);
  });

  it('a resource needs its own ace to add_principal; without it FXServer says "Access denied"', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'c', code: CMDS });
    const { id } = await fx.connectPlayer({ name: 'Ann', identifiers: IDS });
    fx.exec('add_ace group.x thing allow');
    fx.callExport('c', 'grant', `add_principal player.${id} group.x`);
    expect(fx.isAceAllowed(id!, 'thing')).toBe(false);
    expect(fx.consoleLines).toContain('[c] Access denied for command add_principal.');
    fx.exec('add_ace resource.c command.add_principal allow');
    fx.callExport('c', 'grant', `add_principal player.${id} group.x`);
    expect(fx.isAceAllowed(id!, 'thing')).toBe(true);
  });
});

describe('state bags and chat', () => {
  it('Player(src).state.set records value and replication; chat:addMessage is captured per player', async () => {
    fx = createFxServer();
    await fx.startResource({
      name: 's',
      code: `exports('go', (id) => { Player(id).state.set('a', { x: 1 }, true); Player(id).state.b = 2; emitNet('chat:addMessage', id, { args: ['hi'] }); emitNet('chat:addMessage', -1, { args: ['all'] }); return Player(id).state.a; });`,
    });
    const { id } = await fx.connectPlayer({ name: 'Ann', identifiers: IDS });
    expect(fx.callExport('s', 'go', id)).toEqual({ x: 1 });
    expect(fx.stateOf(id!)).toEqual({ a: { value: { x: 1 }, replicated: true }, b: { value: 2, replicated: true } });
    expect(fx.chatOf(id!)).toEqual([{ args: ['hi'] }, { args: ['all'] }]);
  });
});
