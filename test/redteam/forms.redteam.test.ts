// Red team, the ban promise against the ways a banned account may have stored the player's identifier:
// case, prefixes, whitespace a copy-paste brings along. The player's identifiers are FXServer's own.
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../integration/harness';
import { strangerIdentifiers } from '../integration/players';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const bare = (identifier: string) => identifier.slice(identifier.indexOf(':') + 1);

const FORMS: [string, (ids: string[]) => string][] = [
  ['LICENSE:<HASH> in capitals', (ids) => ids[0]!.toUpperCase()],
  ['steam:<HEX> with the hex in capitals', (ids) => `steam:${bare(ids[1]!).toUpperCase()}`],
  ['license2:<hash> (the other license type, same value)', (ids) => `license2:${bare(ids[0]!)}`],
  ['the bare hash between spaces and a tab', (ids) => ` \t${bare(ids[0]!)} `],
  ['license: <hash> (a space after the colon)', (ids) => `license: ${bare(ids[0]!)}`],
  ['the hash between no-break spaces (pasted from a web page)', (ids) => `\u00a0${bare(ids[0]!)}\u00a0`],
];

describe('ban rule: how the banned account stored the ID', () => {
  it.each(FORMS)('ban rule / stored form %s: the player holding it is refused', async (_what, form) => {
    const ids = strangerIdentifiers();
    let banned!: { username: string };
    h = await startHarness({ cad: { accounts: 20, seed: 5 }, beforeStart: (cad) => void (banned = cad.addAccount({ status: 4, apiIds: [form(ids)] })) });
    const result = await h.fx.connectPlayer({ name: 'Formed', identifiers: ids });
    expect([result.accepted, result.reason]).toEqual([false, expect.stringContaining(banned.username)]);
  });
});

// Round 2: characters a paste brings along that String.prototype.trim() does not remove.
const INVISIBLE: [string, (ids: string[]) => string][] = [
  ['the hash after a zero-width space (pasted from a chat app)', (ids) => `\u200b${bare(ids[0]!)}`],
  ['license:<hash> followed by a word joiner', (ids) => `${ids[0]!}\u2060`],
  ['license:<hash> after a byte-order mark', (ids) => `\ufeff${ids[0]!}`],
];

describe('ban rule: invisible characters around the stored ID (round 2)', () => {
  it.each(INVISIBLE)('ban rule / stored form %s: the player holding it is refused', async (_what, form) => {
    const ids = strangerIdentifiers();
    let banned!: { username: string };
    h = await startHarness({ cad: { accounts: 20, seed: 5 }, beforeStart: (cad) => void (banned = cad.addAccount({ status: 4, apiIds: [form(ids)] })) });
    const result = await h.fx.connectPlayer({ name: 'Invisible', identifiers: ids });
    expect([result.accepted, result.reason]).toEqual([false, expect.stringContaining(banned.username)]);
  });
});
