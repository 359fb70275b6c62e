// The emulator's own rules, each on a tiny inline resource.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { createFxServer, type FxServer } from '../../dev/emulator';

let fx: FxServer;
afterEach(() => fx?.close());

describe('exports', () => {
  it('registers with exports(name, fn) at top level and is called from another resource with copied plain data', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'a', code: `const box = { n: 1 }; exports('get', (arg) => { arg.mutated = true; return box; });` });
    await fx.startResource({ name: 'b', code: `exports('relay', () => { const arg = {}; const out = exports.a.get(arg); out.n = 99; return [arg.mutated === undefined, exports.a.get({}).n]; });` });
    expect(fx.callExport('b', 'relay')).toEqual([true, 1]);
  });

  it('a Promise result becomes a promise of the copied value; class instances and Maps are flagged', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'a', code: `exports('later', async () => ({ ok: 1 })); exports('map', () => new Map([[1, 2]])); class X { constructor() { this.v = 1 } } exports('inst', () => new X());` });
    await expect(fx.callExport('a', 'later')).resolves.toEqual({ ok: 1 });
    expect(fx.serializationWarnings).toEqual([]);
    expect(fx.callExport('a', 'inst')).toEqual({ v: 1 });
    fx.callExport('a', 'map');
    expect(fx.serializationWarnings.join('\n')).toMatch(/X is not plain data[\s\S]*Map is not plain data/);
  });

  it('an export that does not exist, or of a stopped resource, throws FXServer\'s error', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'a', code: `exports('x', () => 1);` });
    expect(() => fx.callExport('a', 'y')).toThrow('No such export y in resource a');
    fx.stopResource('a');
    expect(() => fx.callExport('a', 'x')).toThrow('No such export x in resource a');
  });

  it('loads an esbuild cjs bundle in global scope, as dist/server.js is loaded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-'));
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src/main.ts'), `import { join } from 'path';\ndeclare function exports(n: string, f: Function): void;\nexports('joined', (a: string) => join(a, 'b'));\n`);
    await build({ entryPoints: [join(dir, 'src/main.ts')], outfile: join(dir, 'dist/server.js'), bundle: true, platform: 'node', format: 'cjs', target: 'node16', keepNames: true, logLevel: 'silent' });
    writeFileSync(join(dir, 'fxmanifest.lua'), `fx_version 'cerulean'\ngame 'common'\nserver_script 'dist/server.js'\n`);
    fx = createFxServer();
    await fx.startResource({ name: 'bundled', path: dir });
    expect(fx.callExport('bundled', 'joined', 'a')).toBe(join('a', 'b'));
  });
});

describe('events and source', () => {
  const RECORDER = `
    const seen = [];
    on('local', async () => { seen.push(['local', typeof source, source]); await null; seen.push(['after await', source]); });
    onNet('fromClient', () => seen.push(['net', typeof source, source]));
    on('onlyLocal', () => seen.push(['onlyLocal reached', source]));
    exports('seen', () => seen);
  `;

  it('source is a string for local events, a number for net events, and null after an await', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'r', code: RECORDER });
    fx.emit('local');
    fx.emitNet('fromClient', 7);
    await fx.nextTick();
    expect(fx.callExport('r', 'seen')).toEqual([
      ['local', 'string', ''],
      ['net', 'number', 7],
      ['after await', null],
    ]);
  });

  it('a client cannot reach a handler registered with on()', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'r', code: RECORDER });
    fx.emitNet('onlyLocal', 3);
    expect(fx.callExport('r', 'seen')).toEqual([]);
  });

  it('a handler that throws or rejects is logged as a script error, not swallowed', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'r', code: `on('boom', () => { throw new Error('kaput') }); on('later', async () => { throw new Error('async kaput') });` });
    fx.emit('boom');
    fx.emit('later');
    await fx.nextTick();
    expect(fx.unhandledRejections.join('\n')).toMatch(/kaput[\s\S]*async kaput/);
  });

  it('onResourceStop reaches the resource, then its timers die', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'r', code: `setInterval(() => {}, 1000); setTimeout(() => {}, 5000); on('onResourceStop', (n) => console.log('stopping ' + n));` });
    expect(fx.timerCount('r')).toBe(2);
    fx.stopResource('r');
    expect(fx.consoleLines).toContain('[r] stopping r');
    expect(fx.timerCount('r')).toBe(0);
  });
});

describe('natives', () => {
  it('an undeclared-but-real native throws a clear error instead of returning undefined', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'r', code: `exports('call', () => { try { GetEntityCoords(1); return 'no error' } catch (e) { return e.message } });` });
    expect(fx.callExport('r', 'call')).toMatch(/native GetEntityCoords is not implemented/);
  });

  it('convars from options and set lines; GetConvarInt falls back on non-numbers', async () => {
    fx = createFxServer({ convars: { a: 'x' } });
    fx.exec('set b 12');
    fx.exec('set c twelve');
    await fx.startResource({ name: 'r', code: `exports('c', () => [GetConvar('a', 'd'), GetConvar('none', 'd'), GetConvarInt('b', 0), GetConvarInt('c', 5)]);` });
    expect(fx.callExport('r', 'c')).toEqual(['x', 'd', 12, 5]);
  });

  it('files: Load/SaveResourceFile inside the folder; fs refuses paths outside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-'));
    writeFileSync(join(dir, 'fxmanifest.lua'), `server_script 'main.js'`);
    writeFileSync(join(dir, 'main.js'), `
      const fs = require('fs');
      exports('run', () => {
        SaveResourceFile(GetCurrentResourceName(), 'data/x.txt', 'hello', -1);
        const out = [LoadResourceFile(GetCurrentResourceName(), 'data/x.txt'), LoadResourceFile(GetCurrentResourceName(), '../escape')];
        fs.writeFileSync(GetResourcePath(GetCurrentResourceName()) + '/ok.txt', 'fine');
        for (const bad of ['../outside.txt', '/etc/passwd']) { try { fs.readFileSync(bad); out.push('read ' + bad) } catch (e) { out.push(e.code) } }
        return out;
      });`);
    fx = createFxServer();
    await fx.startResource({ name: 'files', path: dir });
    expect(fx.callExport('files', 'run')).toEqual(['hello', null, 'EACCES', 'EACCES']);
  });
});
