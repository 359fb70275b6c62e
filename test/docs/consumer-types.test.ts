// types/sonoran_accounts.d.ts is a standalone file consumers copy, so it repeats the shapes the code
// produces. tsc (run by npm test) checks here that what the resource really returns fits what the
// declaration promises, so the copy cannot drift from the code.
import { describe, expectTypeOf, it } from 'vitest';
import type { AccountView, CacheInfo } from '../../src/core/types';
import type { ChangeView, SummaryView } from '../../src/fivem/views';
import type { playerDiff } from '../../src/fivem/views';
import type { CadAccount, CadAccountChange, CadCacheInfo, CadPlayerDiff, CadSweepSummary } from '../../types/sonoran_accounts';

describe('the consumer declaration matches what the resource returns', () => {
  it('accounts, cache info, summaries, changes and player diffs', () => {
    expectTypeOf<AccountView>().toExtend<CadAccount>();
    expectTypeOf<CacheInfo>().toExtend<CadCacheInfo>();
    expectTypeOf<SummaryView>().toExtend<CadSweepSummary>();
    expectTypeOf<ChangeView>().toExtend<CadAccountChange>();
    expectTypeOf<ReturnType<typeof playerDiff>>().toExtend<CadPlayerDiff>();
  });
});
