// `npm run release` builds what a server owner drops into resources/: unzip it, check exactly what is
// in it, and start the unzipped folder in the emulator (so the zip, not the repo, is what runs).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientDownloads, createFxServer } from '../../dev/emulator';
import { startFakeCad } from '../../dev/fake-cad';
import { ROOT } from '../../dev/resource-folder';
import { API_KEY, COMMUNITY_ID, waitFor } from '../integration/harness';

const work = mkdtempSync(join(tmpdir(), 'sonoran-release-'));
let entries: Record<string, Uint8Array>;

beforeAll(() => {
  // npm test has built dist/server.js; the script only packs.
  execFileSync(process.execPath, ['scripts/release.mjs', '--out', join(work, 'release.zip')], { cwd: ROOT });
  entries = unzipSync(readFileSync(join(work, 'release.zip')));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the release zip', () => {
  it('holds the drop-in folder and nothing else: no sources, no node_modules, no snapshot', () => {
    expect(Object.keys(entries).sort()).toEqual([
      'sonoran_accounts/LICENSE',
      'sonoran_accounts/README.md',
      'sonoran_accounts/config.json',
      'sonoran_accounts/dist/server.js',
      'sonoran_accounts/fxmanifest.lua',
      'sonoran_accounts/locales/de.json',
      'sonoran_accounts/locales/en.json',
      'sonoran_accounts/types/sonoran_accounts.d.ts',
    ]);
  });

  it("carries the owner's README, not the developer's, and the typed API", () => {
    const text = (name: string) => new TextDecoder().decode(entries[`sonoran_accounts/${name}`]);
    expect(text('README.md')).toBe(readFileSync(join(ROOT, 'docs/owner/README.md'), 'utf8'));
    expect(text('README.md')).not.toContain('npm ci');
    expect(text('types/sonoran_accounts.d.ts')).toBe(readFileSync(join(ROOT, 'types/sonoran_accounts.d.ts'), 'utf8'));
  });

  it('ships config.json without a key and the bundle identical to the build', () => {
    const config = JSON.parse(new TextDecoder().decode(entries['sonoran_accounts/config.json']));
    expect(config.apiKey ?? '').toBe('');
    expect(Buffer.from(entries['sonoran_accounts/dist/server.js']!).equals(readFileSync(join(ROOT, 'dist/server.js')))).toBe(true);
  });

  it('starts from the unzipped folder, serves exports and lets a client download nothing', async () => {
    for (const [name, data] of Object.entries(entries)) {
      mkdirSync(dirname(join(work, name)), { recursive: true });
      writeFileSync(join(work, name), data);
    }
    const cad = await startFakeCad({ apiKey: API_KEY, communityId: COMMUNITY_ID, accounts: 120, seed: 5, rateLimit: false });
    const fx = createFxServer({ convars: { sonoran_communityID: COMMUNITY_ID, sonoran_apiKey: API_KEY, sonoran_apiUrl: cad.url } });
    try {
      await fx.startResource({ name: 'sonoran_accounts', path: join(work, 'sonoran_accounts') });
      // The shipped pacing (v1: 1 call/s, burst) applies here: two pages of active, one of banned.
      await waitFor(() => fx.callExport('sonoran_accounts', 'isReady') === true, 'cache ready', 15_000);
      const info = fx.callExport('sonoran_accounts', 'getCacheInfo') as { accounts: number; source: string };
      expect(info.source).toBe('api');
      expect(info.accounts).toBe(cad.accounts.filter((a) => a.status === 1 || a.status === 4).length);
      expect(clientDownloads(join(work, 'sonoran_accounts'))).toEqual([]);
      expect(fx.unhandledRejections).toEqual([]);
      expect(fx.consoleLines.join('\n')).not.toContain('SCRIPT ERROR');
    } finally {
      await fx.close();
      await cad.close();
    }
  }, 30_000);
});
