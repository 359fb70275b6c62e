// The last good cache on disk, so gating works at once after a restart and while the CAD is down.
// It holds account data only (never the API key) and says whose it is: a snapshot from another
// community, API version or format is ignored. Compact (permission words, not 43-key objects) and
// written in slices, so saving 50,000 accounts never blocks a tick.
import { createHash } from 'crypto';
import { z } from 'zod';
import { createIndexBuilder, type AccountIndex } from './account-index';
import { cachedAccount } from './account-record';
import { flagNames, hasPermission, maskFromFlags, permissionIndex } from './permissions';
import type { Slicer } from './slices';
import type { CachedAccount, FileStore, Logger } from './types';

/** 3 added each account's observedAt; format 2 files are still read (observedAt = savedAt). */
const FORMAT = 3;
/**
 * Accounts per chunk handed to the file writer. A chunk is joined and encoded to UTF-8 in one go, inside
 * a slice: 1,000 rows (~260 KB) took ~1.3 ms to join and 2-5 ms to encode on the bench machine, 100 rows
 * (~26 KB) ~0.02 ms and ~0.2 ms.
 */
const ROWS_PER_CHUNK = 100;
const UTF8 = new TextEncoder();

const word = z.number().int().min(0).max(2 ** 30 - 1);
const rowFields = [z.string().min(1), z.string(), z.union([z.string(), z.null()]), z.array(z.string()), z.number().int(), z.string(), z.string(), word, word, word] as const;
/** [uuid, username, communityUserId, apiIds, status, joined, lastLogin, w0, w1, w2, observedAt] */
const row = z.union([z.tuple([...rowFields, z.number()]), z.tuple([...rowFields])]);
const snapshotSchema = z.object({
  format: z.union([z.literal(FORMAT), z.literal(2)]),
  owner: z.string(),
  /** When its sweep ended; null: no sweep behind it, only the bans known before the first (early-bans.ts). */
  savedAt: z.union([z.number(), z.null()]),
  /** Flag names by bit as the writing process numbered them (new flags arrive in any order). */
  flags: z.array(z.string()).max(90),
  accounts: z.array(row),
});

/** Whose cache it is, without writing the key or the community id in clear. */
export function snapshotOwner(apiUrl: string, apiVersion: number, communityID: string): string {
  return createHash('sha256').update(`${apiUrl}\n${apiVersion}\n${communityID}`).digest('hex').slice(0, 16);
}

export async function saveSnapshot(
  files: FileStore,
  file: string,
  owner: string,
  accounts: Iterable<CachedAccount>,
  now: number | null,
  slicer: Slicer,
  /** True once the resource stopped: a write still slicing then writes nothing (a late write of the old instance would land over the restarted one's). */
  cancelled: () => boolean = () => false,
): Promise<void> {
  const chunks: (string | Uint8Array)[] = [`{"format":${FORMAT},"owner":${JSON.stringify(owner)},"savedAt":${now},"flags":${JSON.stringify(flagNames())},"accounts":[`];
  let rows: string[] = [];
  const flush = () => {
    // As UTF-8 bytes at once: ~15 MB of text at 50k accounts kept as strings until the write was copied
    // by each young-generation GC that met it, 9-11 ms pauses at the end of a steady sweep (issue 23).
    chunks.push(UTF8.encode((chunks.length > 1 ? ',' : '') + rows.join(',')));
    rows = [];
  };
  await slicer.each(accounts, (a) => {
    rows.push(JSON.stringify([a.uuid, a.username, a.communityUserId, a.apiIds, a.status, a.joined, a.lastLogin, a.w0, a.w1, a.w2, a.observedAt]));
    if (rows.length === ROWS_PER_CHUNK) flush();
  });
  if (rows.length > 0) flush();
  chunks.push(']}');
  if (cancelled()) return;
  await files.writeAtomic(file, chunks);
}

export function loadSnapshot(
  files: FileStore,
  file: string,
  owner: string,
  log: Logger,
): { accounts: CachedAccount[]; savedAt: number | null } | null {
  let text: string | null;
  try {
    text = files.read(file);
  } catch (err) {
    log.warn(`snapshot ${file} cannot be read (${(err as Error).message}); starting empty`);
    return null;
  }
  if (text === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    log.warn(`snapshot ${file} is corrupt (not JSON); ignoring it, the first sweep will replace it`);
    return null;
  }
  const result = snapshotSchema.safeParse(parsed);
  if (!result.success) {
    log.warn(`snapshot ${file} is not a snapshot this version can read; ignoring it, the first sweep will replace it`);
    return null;
  }
  if (result.data.owner !== owner) {
    log.warn(`snapshot ${file} belongs to another community, API URL or version; ignoring it`);
    return null;
  }
  const remap = bitRemap(result.data.flags);
  const { savedAt } = result.data;
  const accounts = result.data.accounts.map(([uuid, username, communityUserId, apiIds, status, joined, lastLogin, w0, w1, w2, observedAt]) => {
    const mask = remap ? remap(w0, w1, w2) : { w0, w1, w2 };
    return cachedAccount(uuid, username, communityUserId, apiIds, status, joined, lastLogin, mask.w0, mask.w1, mask.w2, observedAt ?? savedAt ?? 0);
  });
  return { accounts, savedAt };
}

/** null when the saved bit numbering is this process's (the usual case); else a translation by name. */
function bitRemap(saved: readonly string[]) {
  // Registers flags this process has not seen yet, so each saved name has a bit here.
  maskFromFlags(Object.fromEntries(saved.map((name) => [name, false])));
  if (saved.every((name, bit) => permissionIndex(name) === bit)) return null;
  return (w0: number, w1: number, w2: number) => {
    const savedMask = { w0, w1, w2 };
    const flags: Record<string, boolean> = {};
    saved.forEach((name, bit) => {
      flags[name] = hasPermission(savedMask, bit);
    });
    return maskFromFlags(flags);
  };
}

/**
 * The index of what a snapshot holds (all of it, or the bans of a bans-only one), built at its size.
 * Saved under a clock set ahead: each account observed "now" at the latest.
 */
export function indexOfSaved(saved: Iterable<CachedAccount>, expected: number, now: number, noteObserved: (account: CachedAccount) => void): AccountIndex {
  const builder = createIndexBuilder(expected);
  for (const entry of saved) {
    const account = entry.observedAt > now ? { ...entry, observedAt: now } : entry;
    noteObserved(account);
    builder.add(account);
  }
  return builder.finish().index;
}
