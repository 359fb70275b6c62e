// Every CAD call of every server of a community takes a token of one shared budget (store.takeToken):
// the scheduler's permit asks for one in the background and polls until it came. A token that does not
// come within TOKEN_DEADLINE_MS never holds a call longer: a database holding writes (a backup's FLUSH
// TABLES WITH READ LOCK, an overloaded host) fails nothing before its query deadline, and a connect
// lookup waiting on it would time out and admit a banned stranger the CAD knows at once. Past the
// deadline this server takes its own share of the key's rate (alone-pace.ts: 1/N of it, N the servers
// the roster saw lately), exactly as while it runs alone, until the database answers again; a 429 met
// on that share lowers it for a while (alone-pace.ts).
import type { Priority } from '../scheduler';
import type { Clock } from '../types';
import type { AlonePace } from './alone-pace';
import type { SharedStore } from './store';

/** A token taken from the database is used at once or dropped: holding it long would bunch calls. */
const TOKEN_FRESH_MS = 1000;
/** How often the scheduler asks again while a token request is on its way. */
const PERMIT_POLL_MS = 15;
/** The longest a call waits for the database's token before it takes this server's own share. */
const TOKEN_DEADLINE_MS = 1500;

/**
 * How long a call waits for a shared token: TOKEN_DEADLINE_MS, and never more than a quarter of the
 * connect deadline, so a connect lookup keeps most of connect.timeoutSeconds for the CAD itself.
 */
export function tokenDeadlineMs(connectTimeoutSeconds: number): number {
  return Math.min(TOKEN_DEADLINE_MS, (connectTimeoutSeconds * 1000) / 4);
}

export interface SharedBudgetDeps {
  store: SharedStore;
  clock: Clock;
  /** The key's spacing (scheduler.ts intervalFor). */
  intervalMs: number;
  /** This server's share of the key's rate: the pacer while alone, and past the token deadline. */
  alone: AlonePace;
  deadlineMs: number;
  /** True while the database is there to ask (not running alone or refused). */
  connected: () => boolean;
  /** A database call failed: run alone. */
  lost: (err: unknown) => void;
  log: { info(line: string): void; warn(line: string): void };
}

export function sharedBudget(deps: SharedBudgetDeps) {
  const { store, clock, intervalMs, alone, deadlineMs } = deps;
  let tokenHeldAt: number | null = null;
  /** When the token request on its way was sent (null: none is). */
  let askedAt: number | null = null;
  let nextAskAt = 0;
  /** The token request on its way is past the deadline: calls go on this server's own share. */
  let overdue = false;
  /** The console was told the database is slow; it is told again only once a token comes in time. */
  let slowSaid = false;

  const ask = (priority: 'high' | 'low') => {
    const sentAt = clock.now();
    askedAt = sentAt;
    store.takeToken(intervalMs, priority).then(
      (wait) => {
        askedAt = null;
        overdue = false;
        if (slowSaid && clock.now() - sentAt < deadlineMs) {
          slowSaid = false;
          deps.log.info('shared database answers the CAD budget in time again: CAD calls take its tokens again');
        }
        if (wait === 0) tokenHeldAt = clock.now();
        else nextAskAt = clock.now() + wait;
      },
      (err: unknown) => {
        askedAt = null;
        overdue = false;
        slowSaid = false;
        deps.lost(err);
      },
    );
  };

  /** The scheduler's permit: 0 to go (spent), else the ms to wait before asking again. */
  const permit = (now: number, lane: Priority = 'low'): number => {
    const priority = lane === 'high' ? 'high' : 'low'; // follow-ups in the background lane wait like pages
    if (!deps.connected()) return alone.permit(now);
    if (tokenHeldAt !== null) {
      const fresh = now - tokenHeldAt <= TOKEN_FRESH_MS;
      tokenHeldAt = null;
      if (fresh) return 0;
    }
    if (askedAt === null && now >= nextAskAt) ask(priority);
    if (askedAt === null) return Math.max(PERMIT_POLL_MS, nextAskAt - now);
    const waited = now - askedAt;
    if (waited < deadlineMs) return Math.min(PERMIT_POLL_MS, deadlineMs - waited);
    overdue = true;
    if (!slowSaid) {
      slowSaid = true;
      const share = alone.servers() > 1 ? `1/${alone.servers()} of the key's rate` : "the key's rate (no other server seen lately)";
      deps.log.warn(`shared database slow: no token of the shared CAD budget within ${deadlineMs / 1000} s (writes held: a backup's lock, an overloaded host?); CAD calls here take this server's own share, ${share}, until it answers in time again`);
    }
    return alone.permit(now);
  };

  /**
   * A 429 on this server pauses every server of the community (the key's budget is one). On its own
   * share (alone, or past the token deadline) it also lowers that share for a while (alone-pace.ts).
   */
  const onPause = (until: number) => {
    const now = clock.now();
    if ((!deps.connected() || overdue) && alone.rateLimited(now, until)) {
      const slowdown = alone.slowdown(now);
      deps.log.warn(
        `the CAD answered 429 while this server runs alone on its own share of the key: it now takes 1/${alone.servers() * slowdown} of the key's rate (its share of 1/${alone.servers()}, halved ${Math.log2(slowdown)} time(s)), one step back every 5 minutes without a 429`,
      );
    }
    if (!deps.connected()) return;
    store.pauseTokens(Math.max(0, until - now)).catch(deps.lost);
  };

  return { permit, onPause };
}
