// How config.json problems are reported (issue 24, point 3): in the order of the file, unknown keys
// even when other errors exist, and the key the owner meant suggested.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config';
import { chooseConfig } from '../../src/core/config-source';
import { memoryFiles } from './helpers';

const convars = (name: string) => ({ sonoran_apiKey: 'SECRET-KEY-abcdef123456', sonoran_communityID: 'c' })[name];
const file = (lines: string[]) => `{\n${lines.map((l) => `  ${l}`).join(',\n')}\n}`;

describe('config.json problems', () => {
  it('are reported in the order of the file, each at its line', () => {
    const text = file(['"apiVersion": 3', '"connect": { "timeoutSeconds": "8" }', '"refreshMinutes": "ten"', '"statuses": []']);
    const loaded = loadConfig({ text, getConvar: convars });
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.errors.map((e) => /^config\.json line (\d+)/.exec(e)?.[1])).toEqual(['2', '3', '4', '5']);
    expect(loaded.errors[0]).toContain('apiVersion');
    expect(loaded.errors[1]).toContain('connect.timeoutSeconds');
  });

  it('report unknown keys at their line even when other errors exist', () => {
    const text = file(['"refreshMinutes": "ten"', '"apikey": "SECRET-KEY-abcdef123456"', '"connect": { "timeoutSecond": 5 }']);
    const loaded = loadConfig({ text, getConvar: convars });
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.warnings).toEqual([
      'config.json line 3, column 3: unknown setting "apikey" is ignored; did you mean "apiKey"?',
      'config.json line 4, column 16: unknown setting "connect.timeoutSecond" is ignored; did you mean "connect.timeoutSeconds"?',
    ]);
    // What the resource prints: the errors and the unknown keys, never the value of a mistyped key.
    const choice = chooseConfig({ text, getConvar: convars, files: memoryFiles() });
    const printed = [...choice.errors, ...choice.warnings].join('\n');
    expect(printed).toContain('did you mean "apiKey"?');
    expect(printed).toContain('refreshMinutes');
    expect(printed).not.toContain('SECRET-KEY');
  });

  it.each([
    ['APIKEY', 'apiKey'],
    ['refreshMinuts', 'refreshMinutes'],
    ['communityId', 'communityID'],
    ['timeoutSeconds', 'connect.timeoutSeconds'],
    ['blockbanned', 'connect.blockBanned'],
  ])('suggest the key meant: "%s" -> "%s"', (typo, meant) => {
    const loaded = loadConfig({ text: JSON.stringify({ [typo]: 1 }), getConvar: convars });
    expect(loaded.ok && loaded.warnings).toEqual([expect.stringMatching(new RegExp(`unknown setting "${typo}" is ignored; did you mean "${meant.replace('.', '\\.')}"\\?$`))]);
  });

  it('suggest nothing for a name far from every key', () => {
    const loaded = loadConfig({ text: JSON.stringify({ webhookUrl: 'x' }), getConvar: convars });
    expect(loaded.ok && loaded.warnings).toEqual(['config.json line 1, column 2: unknown setting "webhookUrl" is ignored']);
  });
});
