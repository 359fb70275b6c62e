// Which servers share one set of rows (open.ts shareIdentity). Round 6 hole 6: an earlier release hashed
// every server as snapshotOwner(url, version, community), whatever its statuses; an updated server with
// the default statuses must not land on that hash, or an un-updated holder sweeping only "active" hides
// bans from it during a rolling update.
import { describe, expect, it } from 'vitest';
import { shareIdentity } from '../../src/core/shared/open';
import { snapshotOwner } from '../../src/core/snapshot';

const base = { apiUrl: 'https://api.sonorancad.com', apiVersion: 1, communityID: 'community-1' };
/** The hash every server of the earlier releases wrote its rows under. */
const earlierRelease = snapshotOwner(base.apiUrl, base.apiVersion, base.communityID);

describe('share identity (round 6 hole 6)', () => {
  it('no statuses give the hash of an earlier release (which hashed every server that way)', () => {
    for (const statuses of [['active', 'banned'], ['banned', 'active'], ['active'], ['active', 'banned', 'pending']]) {
      expect(shareIdentity({ ...base, statuses } as never)).not.toBe(earlierRelease);
    }
  });
  it('servers with the same statuses (in any order) share; other statuses, communities or API versions do not', () => {
    const id = (over: Record<string, unknown>) => shareIdentity({ ...base, statuses: ['active', 'banned'], ...over } as never);
    expect(id({ statuses: ['banned', 'active'] })).toBe(id({}));
    expect(new Set([id({}), id({ statuses: ['active'] }), id({ communityID: 'community-2' }), id({ apiVersion: 2 })]).size).toBe(4);
  });
});
