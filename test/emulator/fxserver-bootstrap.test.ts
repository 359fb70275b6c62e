// The emulator follows FXServer's own JavaScript bootstrap (citizenfx/fivem): one test per rule of
// issue 12, each naming the file and function of fivem it reproduces. All of these failed on the
// emulator before it packed with msgpack, ported main.js/timer.js and ClientDeferral.cpp.
import { afterEach, describe, expect, it } from 'vitest';
import { createFxServer, type FxServer } from '../../dev/emulator';

let fx: FxServer;
afterEach(() => fx?.close());

const IDS = ['license:abc', 'steam:110000100000001'];
const hostTurn = () => new Promise((r) => setImmediate(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('msgpack across resources (main.js pack/unpack with msgpack.js, codec preset: false)', () => {
  it('1. an object field that is undefined keeps its key, as null', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'a', code: `exports('get', () => ({ a: undefined, b: 1 })); on('ev', (o) => emit('seenKeys', Object.keys(o), o.a));` });
    await fx.startResource({ name: 'b', code: `const seen = []; on('seenKeys', (...a) => seen.push(a)); exports('seen', () => seen); exports('send', () => emit('ev', { a: undefined }));` });
    expect(fx.callExport('a', 'get')).toStrictEqual({ a: null, b: 1 });
    fx.callExport('b', 'send');
    expect(fx.callExport('b', 'seen')).toStrictEqual([[['a'], null]]);
  });

  it('2. an export returning undefined, or an event argument undefined, arrives as null', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'a', code: `const seen = []; exports('nothing', () => undefined); on('ev', (...args) => seen.push(args)); exports('seen', () => seen);` });
    await fx.startResource({ name: 'b', code: `exports('relay', () => { const r = exports.a.nothing(); emit('ev', undefined, 1); return [r === null, r === undefined]; });` });
    expect(fx.callExport('a', 'nothing')).toBeNull();
    expect(fx.callExport('b', 'relay')).toEqual([true, false]);
    expect(fx.callExport('a', 'seen')).toStrictEqual([[null, 1]]);
  });

  it('3. a BigInt cannot be packed: the emit throws, an export returning one fails for its caller', async () => {
    fx = createFxServer();
    await fx.startResource({
      name: 'a',
      code: `exports('big', () => 10n); exports('emitBig', () => { try { emit('ev', { n: 1n }); return 'sent' } catch (e) { return e.message } });`,
    });
    expect(fx.callExport('a', 'emitBig')).toBe('Unsupported type "bigint": 1');
    expect(() => fx.callExport('a', 'big')).toThrow('An error occurred while calling export big of resource a - see above for details');
    expect(fx.consoleLines.join('\n')).toContain('SCRIPT ERROR in call ref: Error: Unsupported type "bigint": 10');
  });

  it('4. a Symbol value becomes null (key kept); -0 becomes 0', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'a', code: `exports('odd', () => ({ s: Symbol('x'), z: -0, list: [Symbol('y'), -0] }));` });
    const out = fx.callExport('a', 'odd') as { s: unknown; z: number; list: unknown[] };
    expect(out).toStrictEqual({ s: null, z: 0, list: [null, 0] });
    expect(Object.is(out.z, -0)).toBe(false);
    expect(Object.is(out.list[1], -0)).toBe(false);
  });
});

describe('exports (main.js createExports and Citizen.setCallRefFunction)', () => {
  it('5. an export that throws: the callee prints SCRIPT ERROR, the caller gets the generic error', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'a', code: `exports('boom', () => { throw new Error('kaput') });` });
    await fx.startResource({ name: 'b', code: `exports('try', () => { try { exports.a.boom(); return 'no error' } catch (e) { return e.message } });` });
    expect(fx.callExport('b', 'try')).toBe('An error occurred while calling export boom of resource a - see above for details');
    expect(fx.consoleLines).toContain('[a] ^1SCRIPT ERROR in call ref: Error: kaput^7');
    expect(fx.consoleLines.join('\n')).not.toContain('[b] ^1SCRIPT ERROR');
  });

  it('6. an async export that rejects: the caller\'s promise rejects with the message, a string', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'a', code: `exports('later', async () => { await null; throw new Error('async kaput') });` });
    await fx.startResource({ name: 'b', code: `exports('try', async () => { try { await exports.a.later(); return 'resolved' } catch (e) { return [typeof e, e instanceof Error, String(e)] } });` });
    await expect(fx.callExport('b', 'try')).resolves.toEqual(['string', false, 'async kaput']);
    await expect(fx.callExport('a', 'later')).rejects.toBe('async kaput');
  });
});

describe('function references (main.js refFunctionPacker / refFunctionUnpacker)', () => {
  it('a function passed along is called back in its own resource, with arguments and result packed again', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'a', code: `exports('withCallback', (cb) => { const r = cb({ x: undefined }); return [typeof cb, r]; });` });
    await fx.startResource({ name: 'b', code: `exports('go', () => exports.a.withCallback((arg) => ({ keys: Object.keys(arg), x: arg.x, invoker: GetInvokingResource(), self: GetCurrentResourceName() })));` });
    expect(fx.callExport('b', 'go')).toStrictEqual(['function', { keys: ['x'], x: null, invoker: 'a', self: 'b' }]);
  });
});

describe('events (main.js Citizen.setEventFunction, addEventListener, RegisterNetEvent)', () => {
  it('7. net safety is per event name: one onNet makes every handler of the name run for a client; a name never made net-safe runs nothing and says so', async () => {
    fx = createFxServer();
    await fx.startResource({
      name: 'r',
      code: `const seen = [];
        on('mixed', () => seen.push('on'));
        onNet('mixed', () => seen.push('onNet'));
        on('localOnly', () => seen.push('localOnly'));
        exports('seen', () => seen);`,
    });
    fx.emitNet('mixed', 3);
    fx.emitNet('localOnly', 3);
    expect(fx.callExport('r', 'seen')).toEqual(['on', 'onNet']);
    expect(fx.consoleLines).toContain('[r] Event localOnly was not safe for net');
  });

  it('8. RegisterNetEvent(name, fn) only marks the name net-safe: fn is never registered', async () => {
    fx = createFxServer();
    await fx.startResource({
      name: 'r',
      code: `const seen = [];
        RegisterNetEvent('withFn', () => seen.push('fn'));
        RegisterNetEvent('marked'); on('marked', () => seen.push('marked by on'));
        exports('seen', () => seen);`,
    });
    fx.emit('withFn');
    fx.emitNet('withFn', 2);
    fx.emitNet('marked', 2);
    expect(fx.callExport('r', 'seen')).toEqual(['marked by on']);
  });

  it('9. source is null once the handler\'s synchronous part is over (after an await, in a timer)', async () => {
    fx = createFxServer();
    await fx.startResource({
      name: 'r',
      code: `const seen = [];
        on('ev', async () => { seen.push(['sync', source]); setTimeout(() => seen.push(['timer', source]), 0); await null; seen.push(['after await', source]); });
        exports('seen', () => seen);`,
    });
    fx.emitNet('ev', 4);
    await fx.nextTick();
    await fx.nextTick();
    // emitNet is not net-safe here: nothing ran. A local emit then:
    expect(fx.callExport('r', 'seen')).toEqual([]);
    fx.emit('ev');
    await fx.nextTick();
    await fx.nextTick();
    expect(fx.callExport('r', 'seen')).toStrictEqual([
      ['sync', ''],
      ['after await', null],
      ['timer', null],
    ]);
  });
});

describe('commands (citizen-scripting-core ResourceScriptFunctions.cpp, REGISTER_COMMAND)', () => {
  it('10. the player comes as the handler\'s argument; the global source is not set to the caller', async () => {
    fx = createFxServer();
    await fx.startResource({
      name: 'c',
      code: `const seen = []; on('onResourceStart', () => {});
        RegisterCommand('who', (src, args, raw) => seen.push([src, source, args, raw]), false);
        exports('seen', () => seen);`,
    });
    const { id } = await fx.connectPlayer({ name: 'Ann', identifiers: IDS });
    fx.command(id!, 'who a b');
    expect(fx.callExport('c', 'seen')).toStrictEqual([[id, null, ['a', 'b'], 'who a b']]);
  });
});

describe('players (ClientDeferral.cpp done callback; GameServer.cpp DropClientInternal)', () => {
  const GATE = `on('playerConnecting', (name, setKick, d) => {
    d.defer();
    setTimeout(() => {
      if (name === 'none') d.done();
      else if (name === 'undefined') d.done(undefined);
      else if (name === 'null') d.done(null);
      else if (name === 'empty') d.done('');
      else if (name === 'number') d.done(0);
      else d.done('go away');
    }, 0);
  });`;

  it('11. deferrals.done with any one argument rejects (a non-string as "Unknown error"); only done() admits', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'gate', code: GATE });
    const outcome = async (name: string) => {
      const c = await fx.connectPlayer({ name, identifiers: IDS, timeoutMs: 2000 });
      expect(c.violations).toEqual([]);
      return c.accepted ? 'admitted' : `rejected: ${JSON.stringify(c.reason)}`;
    };
    expect(await outcome('none')).toBe('admitted');
    expect(await outcome('undefined')).toBe('rejected: "Unknown error"');
    expect(await outcome('null')).toBe('rejected: "Unknown error"');
    expect(await outcome('number')).toBe('rejected: "Unknown error"');
    // A string, even empty, is the reason itself (obj[0].type == STR).
    expect(await outcome('empty')).toBe('rejected: ""');
    expect(await outcome('text')).toBe('rejected: "go away"');
  });

  it('deferral state is per resource: admitted once every resource that deferred is done, rejected by any one', async () => {
    fx = createFxServer();
    await fx.startResource({
      name: 'holder',
      code: `let held = null;
        on('playerConnecting', (player, setKick, d) => { d.defer(); setTimeout(() => { if (player === 'held') held = d; else d.done(); }, 0); });
        exports('release', () => held.done());`,
    });
    await fx.startResource({
      name: 'judge',
      code: `on('playerConnecting', (player, setKick, d) => { d.defer(); setTimeout(() => (player === 'refused' ? d.done('judge says no') : d.done()), 0); });`,
    });
    let settled = false;
    const held = fx.connectPlayer({ name: 'held', identifiers: IDS }).finally(() => (settled = true));
    for (let i = 0; i < 5; i++) await fx.nextTick();
    expect(settled).toBe(false); // judge is done, holder is not
    fx.callExport('holder', 'release');
    expect(await held).toMatchObject({ accepted: true });
    expect(await fx.connectPlayer({ name: 'refused', identifiers: IDS })).toMatchObject({ accepted: false, reason: 'judge says no' });
  });

  it('12. playerDropped handlers get (reason, resourceName, clientDropReason)', async () => {
    fx = createFxServer();
    await fx.startResource({
      name: 'track',
      code: `const seen = []; on('playerDropped', (...args) => seen.push([source, ...args]));
        exports('seen', () => seen); exports('kick', (id, why) => DropPlayer(id, why));`,
    });
    const ann = await fx.connectPlayer({ name: 'Ann', identifiers: IDS });
    const bob = await fx.connectPlayer({ name: 'Bob', identifiers: IDS });
    fx.callExport('track', 'kick', String(ann.id), 'bye');
    fx.dropPlayer(bob.id!, 'Exiting');
    expect(fx.callExport('track', 'seen')).toStrictEqual([
      [ann.id, 'bye', 'track', 1],
      [bob.id, 'Exiting', '__cfx_internal:client', 2],
    ]);
  });
});

describe('timers (timer.js onTick, setTick) and the exports() call (main.js createExports apply)', () => {
  it('13a. setTick waits for the promise it returned before running again', async () => {
    fx = createFxServer();
    await fx.startResource({
      name: 't',
      code: `let runs = 0; let release = null;
        setTick(() => { runs++; return new Promise((r) => { release = r; }); });
        exports('runs', () => runs); exports('release', () => { release(); });`,
    });
    await sleep(60);
    expect(fx.callExport('t', 'runs')).toBe(1);
    fx.callExport('t', 'release');
    await fx.nextTick();
    await fx.nextTick();
    expect(fx.callExport('t', 'runs')).toBe(2);
  });

  it('13b. timers fire inside server ticks: setImmediate/setTimeout(0) wait for the next tick, timers run before tickers', async () => {
    fx = createFxServer({ tickMs: 20 });
    await fx.startResource({
      name: 't',
      code: `const seen = [];
        exports('arm', () => { setImmediate(() => seen.push('immediate')); setTimeout(() => seen.push('timeout'), 0); const id = setTick(() => { seen.push('tick'); clearTick(id); }); });
        exports('seen', () => seen);`,
    });
    fx.callExport('t', 'arm');
    await hostTurn();
    await hostTurn();
    expect(fx.callExport('t', 'seen')).toEqual([]);
    await fx.nextTick();
    expect(fx.callExport('t', 'seen')).toEqual(['immediate', 'timeout', 'tick']);
  });

  it('13c. exports() with other than two arguments throws', async () => {
    fx = createFxServer();
    await fx.startResource({
      name: 'x',
      code: `const errors = [];
        for (const args of [['one'], ['three', () => 1, 'extra'], []]) { try { exports(...args); errors.push('accepted') } catch (e) { errors.push(e.message) } }
        exports('errors', () => errors);`,
    });
    expect(fx.callExport('x', 'errors')).toEqual(['this needs 2 arguments', 'this needs 2 arguments', 'this needs 2 arguments']);
  });
});
