// What is in force, said once when the resource starts (issue 24, point 1): version, where the API key
// and community ID came from, API URL and version, database sharing, the ACE check, the next sweep.
// A fresh install's missing config.json is information, not a warning; the key never appears.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFxServer } from '../../dev/emulator';
import { resourceFolder, ROOT } from '../../dev/resource-folder';
import { startFakeCad } from '../../dev/fake-cad';
import { API_KEY, COMMUNITY_ID, startHarness, type Harness } from './harness';

const version = /^version '([^']+)'$/m.exec(readFileSync(join(ROOT, 'fxmanifest.lua'), 'utf8'))![1]!;
let h: Harness | undefined;
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await h?.close();
  await cleanup?.();
  h = cleanup = undefined;
});

/** The block: from the `sonoran_accounts <version>` line to the first line not indented under it. */
function block(lines: readonly string[]): string[] {
  const start = lines.findIndex((l) => l.includes(`sonoran_accounts ${version}`));
  if (start < 0) return [];
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => !/^\[sonoran_accounts\]\s{3,}\S/.test(l));
  return [lines[start]!, ...rest.slice(0, end < 0 ? rest.length : end)];
}

describe('the status block at start', () => {
  it('says the version, where key and community ID came from, the API, sharing, and the first sweep; never the key', async () => {
    h = await startHarness({ cad: { accounts: 5 } });
    const lines = block(h.fx.consoleLines);
    const text = lines.join('\n');
    expect(lines.length).toBeGreaterThanOrEqual(6);
    expect(text).toMatch(/API key:\s+set, from the convar sonoran_apiKey/);
    expect(text).toMatch(/community ID:\s+test-community, from the convar sonoran_communityID/);
    expect(text).toContain(`${h.cad.url}, v1`);
    expect(text).toMatch(/database sharing:\s+off/);
    expect(text).toMatch(/ACE bridge:\s+off/);
    expect(text).toMatch(/status over HTTP:\s+off \(sonoran_accounts_statusToken not set\)/);
    expect(text).toMatch(/sweeps:\s+first sweep running now, then every 60 min/);
    expect(text).not.toContain(API_KEY);
  });

  it('names config.json as the key\'s source, and the ACE check\'s result when ace.enabled', async () => {
    h = await startHarness({ cad: { accounts: 5 }, config: { apiKey: API_KEY, ace: { enabled: true, prefix: 'cad' } }, convars: { sonoran_apiKey: '' } });
    const text = block(h.fx.consoleLines).join('\n');
    expect(text).toMatch(/API key:\s+set, from config\.json/);
    expect(text).toMatch(/ACE bridge:\s+on, but may not manage principals/);
    // Said at start, before any player joined (it used to wait for the first linked player), and once.
    expect(h.fx.consoleLines.filter((l) => l.includes('add_ace resource.sonoran_accounts command.add_principal allow'))).toHaveLength(1);
    expect(text).not.toContain(API_KEY);
  });

  it('with the add_ace lines in server.cfg, says the bridge may manage principals', async () => {
    h = await startHarness({
      cad: { accounts: 5 },
      config: { ace: { enabled: true, prefix: 'cad' } },
      exec: ['add_ace resource.sonoran_accounts command.add_principal allow', 'add_ace resource.sonoran_accounts command.remove_principal allow'],
    });
    expect(block(h.fx.consoleLines).join('\n')).toMatch(/ACE bridge:\s+on \(group\.cad\.<flag>\), allowed to add and remove principals/);
  });

  it('says the HTTP status endpoints are on, never printing their token', async () => {
    const token = 'status-token-0123456789abcdef';
    h = await startHarness({ cad: { accounts: 5 }, convars: { sonoran_accounts_statusToken: token } });
    const text = block(h.fx.consoleLines).join('\n');
    expect(text).toMatch(/status over HTTP:\s+on \(\/sonoran_accounts\/status and \/metrics/);
    expect(h.fx.consoleLines.join('\n')).not.toContain(token);
  });

  it('says what is missing instead of a next sweep', async () => {
    h = await startHarness({ cad: { accounts: 5 }, convars: { sonoran_apiKey: '' }, waitReady: false });
    const text = block(h.fx.consoleLines).join('\n');
    expect(text).toMatch(/API key:\s+not set/);
    expect(text).toMatch(/sweeps:\s+off: no API key/);
  });

  it('a fresh install without config.json: an information line in the block, no warning', async () => {
    const cad = await startFakeCad({ apiKey: API_KEY, communityId: COMMUNITY_ID, rateLimit: false, accounts: 5 });
    const folder = resourceFolder();
    rmSync(join(folder, 'config.json'));
    const fx = createFxServer({ convars: { sonoran_communityID: COMMUNITY_ID, sonoran_apiKey: API_KEY, sonoran_apiUrl: cad.url } });
    cleanup = async () => {
      await fx.close();
      await cad.close();
      rmSync(folder, { recursive: true, force: true });
    };
    await fx.startResource({ name: 'sonoran_accounts', path: folder });
    const text = block(fx.consoleLines).join('\n');
    expect(text).toMatch(/config:\s+no config\.json: using the built-in defaults and the convars/);
    expect(fx.consoleLines.filter((l) => l.includes('warning') && l.includes('config.json'))).toEqual([]);
  });
});
