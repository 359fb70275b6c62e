// `npm run release` builds what a server owner drops into resources/: unzip it, check exactly what is
// in it, start the unzipped folder in the emulator (so the zip, not the repo, is what runs), unzip an
// update over an owner's install, and try to release a config.json that holds a key.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientDownloads, createFxServer } from '../../dev/emulator';
import { startFakeCad } from '../../dev/fake-cad';
import { ROOT } from '../../dev/resource-folder';
import { DEFAULTS } from '../../src/core/config';
import { API_KEY, COMMUNITY_ID, waitFor } from '../integration/harness';

const work = mkdtempSync(join(tmpdir(), 'sonoran-release-'));
let entries: Record<string, Uint8Array>;
const text = (name: string) => new TextDecoder().decode(entries[`sonoran_accounts/${name}`]);

beforeAll(() => {
  // npm test has built dist/server.js; the script only packs.
  execFileSync(process.execPath, ['scripts/release.mjs', '--out', join(work, 'release.zip')], { cwd: ROOT });
  entries = unzipSync(readFileSync(join(work, 'release.zip')));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Unzips the release into `into` the way an owner does: files in the zip replace theirs, others stay. */
function unzipOver(into: string): string {
  for (const [name, data] of Object.entries(entries)) {
    mkdirSync(dirname(join(into, name)), { recursive: true });
    writeFileSync(join(into, name), data);
  }
  return join(into, 'sonoran_accounts');
}

/** Starts the unzipped folder against a fresh fake CAD; returns what the console printed. */
async function startFolder(folder: string, check: (fx: ReturnType<typeof createFxServer>, accounts: number) => Promise<void> | void) {
  const cad = await startFakeCad({ apiKey: API_KEY, communityId: COMMUNITY_ID, accounts: 120, seed: 5, rateLimit: false });
  const fx = createFxServer({ convars: { sonoran_communityID: COMMUNITY_ID, sonoran_apiKey: API_KEY, sonoran_apiUrl: cad.url } });
  try {
    await fx.startResource({ name: 'sonoran_accounts', path: folder });
    // The shipped pacing (v1: 1 call/s, burst) applies here: two pages of active, one of banned.
    await waitFor(() => fx.callExport('sonoran_accounts', 'isReady') === true, 'cache ready', 15_000);
    await check(fx, cad.accounts.filter((a) => a.status === 1 || a.status === 4).length);
    expect(fx.unhandledRejections).toEqual([]);
    expect(fx.consoleLines.join('\n')).not.toContain('SCRIPT ERROR');
  } finally {
    await fx.close();
    await cad.close();
  }
}

describe('the release zip', () => {
  it('holds the drop-in folder and nothing else: no sources, no node_modules, no snapshot, no config.json', () => {
    expect(Object.keys(entries).sort()).toEqual([
      'sonoran_accounts/LICENSE',
      'sonoran_accounts/README.md',
      'sonoran_accounts/config.example.json',
      'sonoran_accounts/dist/server.js',
      'sonoran_accounts/fxmanifest.lua',
      'sonoran_accounts/locales/de.json',
      'sonoran_accounts/locales/en.json',
      'sonoran_accounts/types/sonoran_accounts.d.ts',
    ]);
  });

  it("carries the owner's README, not the developer's, and the typed API", () => {
    expect(text('README.md')).toBe(readFileSync(join(ROOT, 'docs/owner/README.md'), 'utf8'));
    expect(text('README.md')).not.toContain('npm ci');
    expect(text('types/sonoran_accounts.d.ts')).toBe(readFileSync(join(ROOT, 'types/sonoran_accounts.d.ts'), 'utf8'));
  });

  it('ships config.example.json with every setting at its default and no key, and the bundle identical to the build', () => {
    const example = JSON.parse(text('config.example.json'));
    expect(example, 'config.json (shipped as config.example.json) must list every setting at its default').toEqual(DEFAULTS);
    expect(example.apiKey).toBe('');
    expect(Buffer.from(entries['sonoran_accounts/dist/server.js']!).equals(readFileSync(join(ROOT, 'dist/server.js')))).toBe(true);
  });

  it('a fresh install starts from the unzipped folder on defaults and convars, and lets a client download nothing', async () => {
    const folder = unzipOver(mkdtempSync(join(work, 'fresh-')));
    await startFolder(folder, (fx, accounts) => {
      const info = fx.callExport('sonoran_accounts', 'getCacheInfo') as { accounts: number; source: string };
      expect(info.source).toBe('api');
      expect(info.accounts).toBe(accounts);
      expect(fx.consoleLines.find((l) => l.includes('no config.json'))).toMatch(/no config\.json: using the built-in defaults and the convars \(to change a setting, copy config\.example\.json to config\.json\)$/);
      expect(clientDownloads(folder)).toEqual([]);
    });
  }, 30_000);

  it("an update unzipped over an install keeps the owner's config.json and locales/overrides.json, and the resource uses them", async () => {
    expect(Object.keys(entries)).not.toContain('sonoran_accounts/locales/overrides.json');
    const resources = mkdtempSync(join(work, 'update-'));
    const ownerConfig = JSON.stringify({ cadName: 'Owner CAD', refreshMinutes: 30 }, null, 2);
    const ownerMessages = JSON.stringify({ 'cadcheck.selfNone': 'Owner wording: link one of {identifiers} at cad.example' });
    mkdirSync(join(resources, 'sonoran_accounts/locales'), { recursive: true });
    writeFileSync(join(resources, 'sonoran_accounts/config.json'), ownerConfig);
    writeFileSync(join(resources, 'sonoran_accounts/locales/overrides.json'), ownerMessages);
    const folder = unzipOver(resources);
    expect(readFileSync(join(folder, 'config.json'), 'utf8')).toBe(ownerConfig);
    expect(readFileSync(join(folder, 'locales/overrides.json'), 'utf8')).toBe(ownerMessages);
    await startFolder(folder, async (fx) => {
      fx.command(0, 'cadrefresh');
      await waitFor(() => fx.consoleLines.some((l) => l.includes('Owner CAD: refreshing accounts')), 'cadrefresh with the owner\'s CAD name');
      expect(fx.consoleLines.join('\n')).not.toContain('no config.json');
      const { id } = await fx.connectPlayer({ name: 'New', identifiers: ['license:0123456789abcdef0123456789abcdef'] });
      fx.command(id!, 'cadcheck');
      expect(fx.chatOf(id!).map((m) => (m as { args: string[] }).args.join(' ')).join('\n')).toContain('Owner wording: link one of 0123456789abcdef0123456789abcdef (license) at cad.example');
    });
  }, 30_000);

  it('refuses to pack a config.json that holds an API key, says why, and writes no zip', () => {
    const config = join(work, 'with-key.json');
    writeFileSync(config, JSON.stringify({ ...DEFAULTS, apiKey: 'live-key-0123456789abcdef' }));
    const out = join(work, 'refused.zip');
    const run = spawnSync(process.execPath, ['scripts/release.mjs', '--out', out, '--config', config], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('holds an API key ("apiKey")');
    expect(run.stderr).toContain('set sonoran_apiKey');
    expect(run.stderr + run.stdout).not.toContain('live-key-0123456789abcdef');
    expect(existsSync(out)).toBe(false);
  });
});
