// Whether this server's own CAD calls work, for the sweep lease: a holder whose syncing stopped (its API
// key revoked or old: a fatal answer, until restart) or whose calls have kept failing for longer than
// the lease (its network to the CAD down) would otherwise renew the lease forever over its database
// connection, and no server would sweep or watch bans for the community. Unfit, it gives the lease up
// and does not take it again until one of its own CAD calls succeeds (a lookup, its sweep), or, when
// it makes none, `retryMs` after its last failure: then it may take a lease nobody holds and try again
// (a community whose every server failed at once, the CAD down for all, still gets a sweeper back).
import { asCadError } from '../api/errors';
import type { Clock } from '../types';

export function cadHealth(clock: Clock, leaseMs: number, retryMs: number) {
  let syncStopped = false;
  let failingSince: number | null = null;
  let lastFailure = 0;
  return {
    failed(err: unknown) {
      if (asCadError(err).kind === 'fatal') syncStopped = true;
      failingSince ??= clock.now();
      lastFailure = clock.now();
    },
    succeeded() {
      failingSince = null;
    },
    /** True while this server should neither hold nor take the sweep lease. */
    unfit(): boolean {
      if (syncStopped) return true;
      if (failingSince === null) return false;
      const now = clock.now();
      return now - failingSince >= leaseMs && now - lastFailure < retryMs;
    },
    syncStopped: () => syncStopped,
  };
}
