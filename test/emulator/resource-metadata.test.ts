// GetResourceMetadata(resource, key, index): the index-th `key 'value'` entry of the resource's
// fxmanifest.lua, as FXServer's ResourceMetaDataComponent lists them (the resource reads its version so).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFxServer, type FxServer } from '../../dev/emulator';

let fx: FxServer;
let folder: string;
afterEach(async () => {
  await fx?.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('GetResourceMetadata', () => {
  it('reads an entry by key and index, null when there is none', async () => {
    folder = mkdtempSync(join(tmpdir(), 'metadata-'));
    writeFileSync(
      join(folder, 'fxmanifest.lua'),
      `fx_version 'cerulean'\n-- version '9.9.9' (a comment)\nversion "1.2.3"\nauthor 'a'\nauthor 'b'\nserver_script 'server.js'\n`,
    );
    writeFileSync(
      join(folder, 'server.js'),
      `exports('meta', (key, i) => GetResourceMetadata(GetCurrentResourceName(), key, i));`,
    );
    fx = createFxServer();
    await fx.startResource({ name: 'meta', path: folder });
    expect(fx.callExport('meta', 'meta', 'version', 0)).toBe('1.2.3');
    expect([fx.callExport('meta', 'meta', 'author', 0), fx.callExport('meta', 'meta', 'author', 1)]).toEqual(['a', 'b']);
    expect(fx.callExport('meta', 'meta', 'author', 2)).toBeNull();
    expect(fx.callExport('meta', 'meta', 'description', 0)).toBeNull();
  });
});
