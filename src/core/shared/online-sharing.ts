// Online players, shared (issue 21): the lease holder runs the online refresh for the whole community, so
// every server publishes the accounts it holds for its online players (their uuids: nothing that names a
// player, no identifier) and the holder reads the other servers' lists at each poll. The holder's lookups
// reach the followers like any lookup answer (lookup-sharing.ts). A server's list is written when it
// changed, and again before the rows could expire (they are dated by the database's clock, like the
// roster); a failed write or read (the table dropped or emptied by an owner) never stops the poll: the
// tables are recreated and the list is written again at the next poll.
import { describeDbError } from './database';
import type { SharedStore } from './store';

/** The uuid column's width (schema.ts): a longer uuid (a stand-in for an unreadable record) is not published. */
const UUID_MAX = 64;

export interface OnlineSharingDeps {
  store: SharedStore;
  holder: string;
  now: () => number;
  /** Rows older than this are another server that stopped publishing (the roster's window). */
  windowMs: number;
  /** An unchanged list is written again after this long (well within windowMs). */
  rewriteMs: number;
  warn: (line: string) => void;
}

export function onlineSharing(deps: OnlineSharingDeps) {
  const { store, holder } = deps;
  /** The list last written (sorted, joined), or null: write at the next poll. */
  let written: string | null = null;
  let writtenAt = -Infinity;
  let elsewhere: readonly string[] = [];
  let failing = false;

  return {
    /** At each poll: writes this server's list when needed; the holder (`reading`) reads the others'. */
    async poll(own: Iterable<string>, reading: boolean): Promise<void> {
      try {
        const uuids = [...new Set([...own].map((u) => u.toLowerCase()))].filter((u) => u.length <= UUID_MAX).sort();
        const list = uuids.join('\n');
        if (list !== written || deps.now() - writtenAt >= deps.rewriteMs) {
          written = null;
          await store.publishOnline(holder, uuids, deps.windowMs);
          written = list;
          writtenAt = deps.now();
        }
        elsewhere = reading ? await store.onlineElsewhere(holder, deps.windowMs) : [];
        failing = false;
      } catch (err) {
        if (failing) return;
        failing = true;
        deps.warn(`shared database: the online players could not be shared (${describeDbError(err)}); recreating any missing table and polling on`);
        await store.prepare().catch(() => {});
      }
    },
    /** The accounts online on the other servers, as the last poll read them (the holder only). */
    elsewhere: (): readonly string[] => elsewhere,
  };
}
