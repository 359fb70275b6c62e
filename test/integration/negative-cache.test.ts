// The negative cache as a server sees it: a stranger reconnecting costs one lookup per
// connect.unknownRetrySeconds; refreshPlayer after they linked still asks the CAD.
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness';
import { strangerIdentifiers } from './players';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const lookups = (h: Harness) => h.cad.requests.filter((r) => r.path.endsWith('get_account')).length;

describe('unknown players', () => {
  it('a stranger reconnecting five times costs one lookup; refreshPlayer after linking finds them', async () => {
    h = await startHarness({ cad: { accounts: 10 } });
    const ids = strangerIdentifiers();
    let last = null as Awaited<ReturnType<Harness['fx']['connectPlayer']>> | null;
    for (let i = 0; i < 5; i++) {
      if (last?.id) h.fx.dropPlayer(last.id);
      last = await h.fx.connectPlayer({ name: 'Stranger', identifiers: ids });
      expect(last.accepted).toBe(true);
    }
    expect(lookups(h)).toBe(1);
    const account = h.cad.addAccount({ status: 1, apiIds: [ids[0]!.slice('license:'.length)] });
    const found = (await h.fx.callExport('sonoran_accounts', 'refreshPlayer', last!.id)) as { uuid: string } | null;
    expect(found?.uuid).toBe(account.uuid);
  });
});
