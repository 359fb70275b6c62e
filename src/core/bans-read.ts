// A sweep that did not finish (it failed on a later page, or, in shared mode, it was stopped between two
// pages because this server lost the sweep lease or came back to follow another server) is not published
// and not swapped in: the accounts its pages never reached say nothing, so nothing is concluded from it.
// But the bans its pages read are observations like any other (bans are enforced from every observation):
// merged by the one rule and written for the other servers as lookup answers, as a finished sweep that
// could not be published shares its bans.
import { ACCOUNT_STATUS, type CachedAccount } from './types';

export function keepBansRead(read: Iterable<CachedAccount>, to: { absorb(account: CachedAccount): void; share(account: CachedAccount): void }): number {
  let n = 0;
  for (const account of read) {
    if (account.status !== ACCOUNT_STATUS.banned) continue;
    to.absorb(account);
    to.share(account);
    n += 1;
  }
  return n;
}
