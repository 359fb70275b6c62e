// The sweep lease as this server sees it: whether it holds it (and with which fencing token), and who
// held it when it last asked. One lease call at a time: the poll loop and a refresh may both ask.
import type { Logger } from '../types';
import type { SharedStore } from './store';

export function sweepLease(deps: { store: SharedStore; holder: string; leaseMs: number; log: Logger }) {
  const { store, holder, leaseMs, log } = deps;
  /** The fencing token while this server holds the lease, else null. */
  let token: number | null = null;
  /** Who held the sweep lease when this server last asked (the status endpoint shows it). */
  let seenHolder: string | null = null;
  let call: Promise<boolean> | null = null;

  const ask = async (): Promise<boolean> => {
    const wasHolder = token !== null;
    const lease = await store.takeLease(holder, token, leaseMs);
    token = lease.held ? lease.token : null;
    seenHolder = lease.holder === '' ? null : lease.holder;
    if (lease.held && !wasHolder) log.info(`this server now sweeps for the community (sweep lease, token ${lease.token})`);
    // Says what the row shows, not why: the row may also have been deleted by hand and recreated.
    if (!lease.held && wasHolder) log.warn(`lost the sweep lease: ${lease.holder === '' ? 'it is free' : `server ${lease.holder} holds it`} now (token ${lease.token}); following the shared versions`);
    return lease.held;
  };

  return {
    /** Renews the lease this server holds, or takes it when free or expired: true while held. */
    renewOrTake(): Promise<boolean> {
      call ??= ask().finally(() => {
        call = null;
      });
      return call;
    },
    token: () => token,
    seenHolder: () => seenHolder,
    /** The database is lost: whatever the row says, this server no longer counts itself the holder. */
    forget() {
      token = null;
    },
    /** A clean stop: lets the lease expire now, so another server takes over at once. */
    async release() {
      if (token !== null) await store.releaseLease(holder, token).catch(() => {});
      token = null;
    },
  };
}
