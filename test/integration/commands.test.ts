// /cadcheck and cadrefresh, from players (chat) and from the console.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, waitFor, type Harness } from './harness';
import { connectAs, isPolice, pick, strangerIdentifiers } from './players';

let h: Harness;
let officer: number;
let stranger: number;
let admin: number;
let strangerIds: string[];
const lastChat = (id: number) => {
  const messages = h.fx.chatOf(id) as { args: string[] }[];
  return messages[messages.length - 1]?.args.join(' ') ?? '';
};

beforeAll(async () => {
  h = await startHarness({ cad: { accounts: 60, seed: 5 } });
  officer = (await connectAs(h.fx, h.cad, pick(h.cad, isPolice, 'police'), 'Officer')).id!;
  strangerIds = strangerIdentifiers();
  stranger = (await h.fx.connectPlayer({ name: 'Stranger', identifiers: strangerIds })).id!;
  admin = (await connectAs(h.fx, h.cad, null, 'Admin')).id!;
  h.fx.exec(`add_ace player.${admin} sonoran_accounts.cadcheck.others allow`);
});
afterAll(() => h?.close());

describe('/cadcheck', () => {
  it('tells a player their CAD username, status and permissions', () => {
    h.fx.command(officer, 'cadcheck');
    const text = lastChat(officer);
    expect(text).toContain(pick(h.cad, isPolice, 'police').username);
    expect(text).toContain('active');
    expect(text).toContain('police');
  });

  it('tells a player with no account which IDs they can link', () => {
    h.fx.command(stranger, 'cadcheck');
    expect(lastChat(stranger)).toContain(strangerIds[0]!.slice('license:'.length));
  });

  it('checking someone else needs the ace; with it, it works; a bad id gets a clear message', () => {
    h.fx.command(stranger, `cadcheck ${officer}`);
    expect(lastChat(stranger)).toContain('sonoran_accounts.cadcheck.others');
    h.fx.command(admin, `cadcheck ${officer}`);
    expect(lastChat(admin)).toContain('Officer');
    h.fx.command(admin, 'cadcheck 4242');
    expect(lastChat(admin)).toContain('No player with id 4242');
    h.fx.command(admin, 'cadcheck "; drop table');
    expect(lastChat(admin)).toMatch(/No player with id|usage: \/cadcheck \[playerId\]/);
  });

  it('from the console prints a table of everyone online', () => {
    const before = h.fx.consoleLines.length;
    h.fx.command(0, 'cadcheck');
    const table = h.fx.consoleLines.slice(before).join('\n');
    expect(table).toMatch(/ID\s+NAME\s+CAD USER\s+STATUS/);
    expect(table).toContain('Officer');
    expect(table).toContain('no account');
  });

  it('from the console checks any player without an ace', () => {
    const before = h.fx.consoleLines.length;
    h.fx.command(0, `cadcheck ${officer}`);
    expect(h.fx.consoleLines.slice(before).join('\n')).toContain('Officer');
  });
});

describe('/cadcheck asks the CAD too (issue 21)', () => {
  it('refreshes that player at once, says so when the answer changed, and asks at most once a minute per player', async () => {
    const cop = h.cad.accounts.filter(isPolice)[1]!;
    const id = (await connectAs(h.fx, h.cad, cop, 'Second officer')).id!;
    h.cad.revoke(cop.uuid, 'police');
    const said = () => (h.fx.chatOf(id) as unknown[]).length;
    const before = said();
    h.fx.command(id, 'cadcheck');
    expect(lastChat(id)).toMatch(/\bpolice\b/); // what the cache knew
    await waitFor(() => said() === before + 2, 'the second answer');
    expect(lastChat(id)).toContain(cop.username);
    expect(lastChat(id)).not.toMatch(/\bpolice\b/); // what the CAD says now
    h.cad.resetRequests();
    h.fx.command(id, 'cadcheck');
    await new Promise((r) => setTimeout(r, 200));
    expect(h.cad.requests.filter((r) => r.path.endsWith('get_account'))).toEqual([]);
    expect(said()).toBe(before + 3);
  });
});

describe('cadrefresh', () => {
  it('is console-only unless the ace is granted, and prints the summary', async () => {
    h.cad.resetRequests();
    h.fx.command(officer, 'cadrefresh');
    await h.fx.nextTick();
    expect(h.cad.requests).toHaveLength(0);
    const before = h.fx.consoleLines.length;
    h.fx.command(0, 'cadrefresh');
    await new Promise((r) => setTimeout(r, 500));
    expect(h.fx.consoleLines.slice(before).join('\n')).toMatch(/\d+ accounts \(active \d+, banned \d+\)/);
  });
});
