// Which account stands for a player whose identifiers lead to several: a ban first (the one on the
// earliest identifier), then the active account with the most recent login, whatever order the CAD
// lists them in.
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';
import { strangerIdentifiers } from './players';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const bare = (identifier: string) => identifier.slice(identifier.indexOf(':') + 1);
const accountOf = (id: unknown) => h!.fx.callExport('sonoran_accounts', 'getAccount', id) as { uuid: string } | null;

describe('two active accounts on one ID', () => {
  it.each([
    ['older listed first', false],
    ['newer listed first', true],
  ])('the one with the most recent login stands (%s)', async (_order, newerFirst) => {
    const ids = strangerIdentifiers();
    let newer = '';
    h = await startHarness({
      cad: { accounts: 10, seed: 6 },
      beforeStart: (cad) => {
        const add = (lastLogin: string) => cad.addAccount({ status: 1, apiIds: [bare(ids[0]!)], lastLogin }).uuid;
        if (newerFirst) {
          newer = add('2026-10-01T00:00:00.000Z');
          add('2025-01-01T00:00:00.000Z');
        } else {
          add('2025-01-01T00:00:00.000Z');
          newer = add('2026-10-01T00:00:00.000Z');
        }
      },
    });
    const joined = await h.fx.connectPlayer({ name: 'Two logins', identifiers: ids });
    expect(accountOf(joined.id)?.uuid).toBe(newer);
    expect((h.fx.callExport('sonoran_accounts', 'getAccountByApiId', ids[0]) as { uuid: string }).uuid).toBe(newer);
  });
});

describe('two banned accounts on two of the player\'s identifiers', () => {
  it('the refusal names the ban on the earlier identifier', async () => {
    const ids = strangerIdentifiers();
    h = await startHarness({
      cad: { accounts: 10, seed: 6 },
      beforeStart: (cad) => {
        cad.addAccount({ status: 4, apiIds: [bare(ids[1]!)], username: 'BannedOnSteam' });
        cad.addAccount({ status: 4, apiIds: [bare(ids[0]!)], username: 'BannedOnLicense' });
      },
    });
    const result = await h.fx.connectPlayer({ name: 'Twice banned', identifiers: ids });
    expect(result).toMatchObject({ accepted: false, reason: expect.stringContaining('BannedOnLicense') });
  });
});
