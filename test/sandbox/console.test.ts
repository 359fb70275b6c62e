// The interactive sandbox as a user types into it: every line goes through runConsole (the same
// readline loop `npm start` runs on a terminal) and the answer is read from what it writes back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { PROMPT } from '../../dev/sandbox/console';
import { waitFor } from '../integration/harness';
import { openSession, type Session } from './session';

let s: Session;
let officer: string;
let officerIds: string[];

beforeAll(async () => {
  s = await openSession();
  const account = s.world.cad!.accounts.find((a) => a.status === 1 && a.permissions.police && !a.permissions.ems && !a.permissions.fire)!;
  officer = account.username;
  officerIds = s.world.cad!.identitiesOf(account.uuid);
  const joined = await s.send(`connect ${officer}`);
  expect(joined).toContain(`${officer} joined as player 1`);
}, 60_000);
afterAll(() => s?.close());

describe('sandbox verbs typed at the console', () => {
  it('export takes JSON arguments with spaces inside, and the same list answers the same with or without them', async () => {
    expect(await s.send('export hasAnyPermission 1 ["ems", "police"]')).toMatch(/^ {2}true$/m);
    expect(await s.send('export hasAnyPermission 1 ["ems","police"]')).toMatch(/^ {2}true$/m);
    expect(await s.send('export hasAnyPermission 1 ["ems", "fire"]')).toMatch(/^ {2}false$/m);
    expect(await s.send('export getAccountByApiId "no such id"')).toMatch(/^ {2}null$/m);
  });

  it('export refuses an argument that is not JSON instead of passing it on as text', async () => {
    const out = await s.send('export hasPermission 1 police');
    expect(out).toContain('argument 2 is not JSON: police (text needs quotes: "police")');
    expect(out).not.toMatch(/^ {2}(true|false)$/m);
    expect(await s.send('export hasAnyPermission 1 ["police"')).toContain('argument 2 is not JSON');
  });

  it('verbs missing their argument print their usage', async () => {
    expect(await s.send('drop')).toContain('usage: drop <playerId>');
    expect(await s.send('connect')).toContain('usage: connect <username>');
    expect(await s.send('connect --ids')).toContain('usage: connect <username>');
    expect(await s.send('export')).toContain('usage: export <name>');
    expect(await s.send(`grant ${officer}`)).toContain('usage: grant <username> <permission>');
    expect(await s.send('revoke')).toContain('usage: revoke <username> <permission>');
    expect(await s.send('as 1')).toContain('usage: as <playerId> <command...>');
    expect(s.text()).not.toContain('undefined');
  });

  it('grant without or with a made-up permission creates no flag on the CAD', async () => {
    expect(await s.send(`grant ${officer} notaflag`)).toContain('"notaflag" is not a Sonoran CAD permission');
    const account = s.world.cad!.accounts.find((a) => a.username === officer)!;
    expect(Object.keys(account.permissions)).not.toContain('undefined');
    expect(Object.keys(account.permissions)).not.toContain('notaflag');
  });

  it('drop of a player who is not online says so and drops nobody', async () => {
    expect(await s.send('drop 99')).toContain('no player 99 is online (online: 1)');
    expect(s.world.fx.players()).toEqual([1]);
  });

  it('revoke of a flag the account does not have, and ban of a banned account, change nothing and say so', async () => {
    expect(await s.send(`revoke ${officer} ems`)).toContain(`${officer} does not have ems on the CAD; nothing changed`);
    const banned = s.world.cad!.accounts.find((a) => a.status === 4)!;
    expect(await s.send(`ban ${banned.username}`)).toContain('is already banned on the CAD; nothing changed');
  });

  it('as <id> cadcheck runs /cadcheck as that player and shows the chat they get', async () => {
    expect(await s.send('as 1 cadcheck')).toMatch(new RegExp(`chat to player 1: Sonoran CAD: ${officer} · active · permissions: .*police`));
    expect(await s.send('as 7 cadcheck')).toContain('no player 7 is online');
  });

  it('players shows names and CAD accounts; accounts marks a cut permission list', async () => {
    expect(await s.send('players')).toMatch(new RegExp(`^ {2}1 +${officer} +${officer} \\(active\\) +\\S*police`, 'm'));
    const many = s.world.cad!.accounts.find((a) => Object.values(a.permissions).filter(Boolean).length > 6)!;
    const hidden = Object.values(many.permissions).filter(Boolean).length - 6;
    expect(await s.send(`accounts ${many.username}`)).toContain(`,… +${hidden}`);
  });

  it('clear is a verb, not an unknown console command', async () => {
    const out = await s.send('clear');
    expect(out).not.toContain('No such command');
    expect(out).toContain('clear only works on a terminal');
  });

  it('connect prints the deferral before the playerLinked event it caused', async () => {
    const out = await s.send(`connect --ids ${officerIds.join(' ')}`);
    const checking = out.indexOf('deferral: Checking your Sonoran CAD account');
    const linked = out.indexOf('event sonoran_accounts:playerLinked [2,');
    expect(checking).toBeGreaterThanOrEqual(0);
    expect(linked).toBeGreaterThan(checking);
    await s.send('drop 2');
  });

  it('after cadrefresh, whose summary comes later, the prompt is drawn again under it', async () => {
    const from = s.text().length;
    s.input.write('cadrefresh\n');
    // The summary is the resource's `synced ...` line (issue 24: no second copy from cadrefresh itself).
    await waitFor(() => /synced \d+ accounts/.test(s.text().slice(from)) && s.text().endsWith(PROMPT), 'summary then a prompt', 30_000);
    const after = s.text().slice(from);
    expect(after.slice(after.search(/synced \d+ accounts/))).toMatch(new RegExp(`\\n${PROMPT}$`));
  }, 40_000);
});

describe('the console on a terminal', () => {
  let t: Session;
  beforeAll(async () => {
    t = await openSession({ terminal: true });
  }, 60_000);
  afterAll(() => t?.close());

  it('does not echo a line typed ahead into the output of the command still running; runs it after', async () => {
    const slow = t.world.cad!.fault('latency', { ms: 1500 }); // the command is still running when we type
    const from = t.text().length;
    t.input.write('export refresh\r');
    await new Promise((r) => setTimeout(r, 300));
    t.input.write('players');
    await waitFor(() => t.text().slice(from).includes('"changesOmitted"'), 'refresh result', 30_000);
    slow.clear();
    const during = t.text().slice(from, t.text().indexOf('"changesOmitted"', from));
    expect(during).not.toContain('players');
    t.input.write('\r');
    await waitFor(() => t.text().slice(from).includes('nobody online'), 'players output', 10_000);
  }, 40_000);
});

describe('against the live API (here: a fake CAD reached as if it were live)', () => {
  let cad: FakeCad;
  let l: Session;
  beforeAll(async () => {
    cad = await startFakeCad({ accounts: 5, seed: 3, rateLimit: false });
    l = await openSession({ live: cad });
  }, 60_000);
  afterAll(async () => {
    await l?.close();
    await cad?.close();
  });

  it('connect <username> and ban explain themselves instead of crashing', async () => {
    const out = (await l.send(`connect ${cad.accounts[0]!.username}`)) + (await l.send(`ban ${cad.accounts[0]!.username}`));
    expect(out).toContain('use connect --ids');
    expect(out).toContain('never changes');
    expect(out).not.toContain('Cannot read properties');
    expect(cad.accounts[0]!.status).not.toBe(4);
  });

  it('connect --ids still works', async () => {
    expect(await l.send(`connect --ids ${cad.identitiesOf(cad.accounts[0]!.uuid).join(' ')}`)).toMatch(/Guest (joined as player|rejected)/);
  });
});
