// Sandbox console points of issue 24: server console built-ins at the prompt, account filters by status
// and by flag in any case, extra arguments refused, `help` naming `quit`, cadrefresh's summary once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROMPT } from '../../dev/sandbox/console';
import { waitFor } from '../integration/harness';
import { openSession, type Session } from './session';

let s: Session;
let officer: string;

beforeAll(async () => {
  s = await openSession();
  officer = s.world.cad!.accounts.find((a) => a.status === 1 && a.permissions.police)!.username;
  expect(await s.send(`connect ${officer}`)).toContain(`${officer} joined as player 1`);
}, 60_000);
afterAll(() => s?.close());

describe('the sandbox console', () => {
  it('runs server console built-ins (add_ace, set) as the console does', async () => {
    const out = (await s.send('add_ace group.cad.police sandbox.test allow')) + (await s.send('set sandbox_test "a value"'));
    expect(out).not.toContain('No such command');
    expect(s.world.fx.isAceAllowed(1, 'sandbox.test')).toBe(true);
  });

  it('accounts filters by status name and by flag, in any case', async () => {
    const cad = s.world.cad!;
    const pending = cad.accounts.filter((a) => a.status === 0);
    expect(pending.length).toBeGreaterThan(0);
    expect(await s.send('accounts pending')).toContain(`${pending.length} match(es)`);
    const police = cad.accounts.filter((a) => a.status === 1 && a.permissions.police).length;
    expect(await s.send('accounts Police')).toContain(`${police} match(es)`);
    expect(await s.send('accounts POLICE')).toContain(`${police} match(es)`);
    expect(await s.send('accounts BANNED')).toContain(`${cad.accounts.filter((a) => a.status === 4).length} match(es)`);
  });

  it('refuses extra arguments instead of dropping them', async () => {
    const victim = s.world.cad!.accounts.find((a) => a.status === 1 && a.username !== officer)!;
    const out = await s.send(`ban ${victim.username} police`);
    expect(out).toContain('too many arguments');
    expect(out).toContain('usage: ban <username>');
    expect(victim.status).toBe(1);
    expect(await s.send('drop 1 2')).toContain('too many arguments');
    expect(s.world.fx.players()).toEqual([1]);
    expect(await s.send('players now')).toContain('too many arguments');
    expect(await s.send(`grant ${victim.username} ems fire`)).toContain('too many arguments');
    expect(victim.permissions.ems === true && victim.permissions.fire === true).toBe(false);
    expect(await s.send(`connect ${victim.username} extra`)).toContain('too many arguments');
  });

  it('cadcheck with more than one player id says how it is used instead of checking the first', async () => {
    const out = await s.send('cadcheck 1 2');
    expect(out).toMatch(/usage: \/?cadcheck \[playerId\]/);
    expect(out).not.toContain(officer);
  });

  it('help lists quit', async () => {
    expect(await s.send('help')).toMatch(/^\s+quit\b.*leave/m);
  });

  it('cadrefresh prints its summary once', async () => {
    const from = s.text().length;
    s.input.write('cadrefresh\n');
    await waitFor(() => /\d+ accounts \(active \d+/.test(s.text().slice(from)) && s.text().endsWith(PROMPT), 'the summary', 30_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(s.text().slice(from).match(/\d+ accounts \(active \d+/g)).toHaveLength(1);
  }, 40_000);
});
