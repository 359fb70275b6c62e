// Convars as FXServer's scripting runtime serves them: add_convar_permission restricts a convar to the
// resources named (others read the default), SetConvar from a resource, onServerResourceStart.
import { afterEach, describe, expect, it } from 'vitest';
import { createFxServer, type FxServer } from '../../dev/emulator';

let fx: FxServer;
afterEach(() => fx?.close());

const reader = (name: string) => ({ name, code: `exports('read', (k) => GetConvar(k, 'DEFAULT'));` });

describe('convars', () => {
  it('a convar named in add_convar_permission reads as the default in every resource not granted it', async () => {
    fx = createFxServer({ convars: { secret: 's3cr3t', open: 'yes' } });
    fx.exec('add_convar_permission granted read secret');
    await fx.startResource(reader('granted'));
    await fx.startResource(reader('other'));
    expect(fx.callExport('granted', 'read', 'secret')).toBe('s3cr3t');
    expect(fx.callExport('other', 'read', 'secret')).toBe('DEFAULT');
    expect(fx.callExport('other', 'read', 'open')).toBe('yes');
  });

  it('SetConvar from one resource is read by another; onServerResourceStart names each started resource', async () => {
    fx = createFxServer();
    await fx.startResource({ name: 'watcher', code: `const seen = []; on('onServerResourceStart', (n) => seen.push(n)); exports('seen', () => seen); exports('read', (k) => GetConvar(k, 'DEFAULT'));` });
    await fx.startResource({ name: 'setter', code: `SetConvar('sonoran_x', 'set-at-start');` });
    expect(fx.callExport('watcher', 'read', 'sonoran_x')).toBe('set-at-start');
    expect(fx.callExport('watcher', 'seen')).toEqual(['watcher', 'setter']);
  });
});
