// The last good cache on disk, so gating works at once after a restart and while the CAD is down.
// It holds account data only (never the API key) and says whose it is: a snapshot from another
// community, API version or format is ignored.
import { createHash } from 'crypto';
import { z } from 'zod';
import { toApiShape, toCachedAccount } from './account-record';
import { v1AccountSchema } from './api/schemas';
import type { CachedAccount, FileStore, Logger } from './types';

const FORMAT = 1;

const snapshotSchema = z.object({
  format: z.literal(FORMAT),
  owner: z.string(),
  savedAt: z.number(),
  accounts: z.array(
    v1AccountSchema.extend({
      apiIds: z.array(z.string()),
      communityUserId: z.union([z.string(), z.null()]),
    }),
  ),
});

/** Whose cache it is, without writing the key or the community id in clear. */
export function snapshotOwner(apiUrl: string, apiVersion: number, communityID: string): string {
  return createHash('sha256').update(`${apiUrl}\n${apiVersion}\n${communityID}`).digest('hex').slice(0, 16);
}

export function saveSnapshot(files: FileStore, file: string, owner: string, accounts: Iterable<CachedAccount>, now: number): void {
  const body = { format: FORMAT, owner, savedAt: now, accounts: [...accounts].map(toApiShape) };
  files.writeAtomic(file, JSON.stringify(body));
}

export function loadSnapshot(
  files: FileStore,
  file: string,
  owner: string,
  log: Logger,
): { accounts: CachedAccount[]; savedAt: number } | null {
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
    log.warn(`snapshot ${file} is not a snapshot this version can read; ignoring it`);
    return null;
  }
  if (result.data.owner !== owner) {
    log.warn(`snapshot ${file} belongs to another community, API URL or version; ignoring it`);
    return null;
  }
  return { accounts: result.data.accounts.map((a) => toCachedAccount(a)), savedAt: result.data.savedAt };
}
