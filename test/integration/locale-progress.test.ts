// What a server owner sees besides the API: player messages in the configured language, and a long
// sweep that reports where it is in the console.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT } from '../../dev/resource-folder';
import { startHarness, type Harness } from './harness';
import { connectAs, isBanned, isPolice, pick } from './players';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('locales', () => {
  it('every shipped translation has every English key with the same placeholders', () => {
    const english = JSON.parse(readFileSync(join(ROOT, 'locales/en.json'), 'utf8')) as Record<string, string>;
    for (const lang of ['de']) {
      const other = JSON.parse(readFileSync(join(ROOT, `locales/${lang}.json`), 'utf8')) as Record<string, string>;
      expect(Object.keys(other).sort(), lang).toEqual(Object.keys(english).sort());
      for (const key of Object.keys(english)) expect(placeholders(other[key]!), `${lang} ${key}`).toEqual(placeholders(english[key]!));
    }
  });

  it('locale "de" shows German deferrals and /cadcheck, with the configured CAD name', async () => {
    h = await startHarness({ cad: { accounts: 60, seed: 3 }, config: { locale: 'de', cadName: 'Musterstadt CAD' } });
    const rejected = await connectAs(h.fx, h.cad, pick(h.cad, isBanned, 'banned'));
    expect(rejected.updates).toContain('Dein Musterstadt CAD-Konto wird geprüft…');
    expect(rejected.reason).toMatch(/^Du bist in Musterstadt CAD gesperrt/);
    const officer = await connectAs(h.fx, h.cad, pick(h.cad, isPolice, 'police'));
    h.fx.command(officer.id!, 'cadcheck');
    expect(JSON.stringify(h.fx.chatOf(officer.id!))).toContain('Berechtigungen: ');
  });

  it('an unknown locale falls back to English with one warning', async () => {
    h = await startHarness({ cad: { accounts: 20 }, config: { locale: 'xx' } });
    const result = await connectAs(h.fx, h.cad, null);
    expect(result.updates).toContain('Checking your Sonoran CAD account…');
    expect(h.fx.consoleLines.filter((l) => l.includes('locales/xx.json'))).toHaveLength(1);
  });
});

describe('sweep progress in the console', () => {
  it('a long sweep prints its first and last page; a short status prints nothing', async () => {
    h = await startHarness({ cad: { accounts: 1_000, seed: 8 } });
    const active = h.cad.accounts.filter((a) => a.status === 1).length;
    const pages = Math.ceil(active / 100);
    const lines = h.fx.consoleLines.filter((l) => l.includes('syncing '));
    expect(lines.some((l) => l.includes(`syncing active accounts: page 1 of ${pages}`))).toBe(true);
    expect(lines.some((l) => l.includes(`syncing active accounts: page ${pages} of ${pages}`))).toBe(true);
    expect(lines.some((l) => l.includes('banned accounts'))).toBe(false);
  });
});
