// zod schemas of every CAD answer. Unknown extra fields pass through (Sonoran adds fields). A page whose
// shape is wrong fails the whole sweep; an account record the strict schema below refuses is read field
// by field instead (account-reader.ts), so one odd record never refuses a sweep.
import { z } from 'zod';
import { PERMISSIONS } from '../permissions';

const KNOWN_FLAGS = new Set<string>(PERMISSIONS);

/** The 43 known flags must be booleans when present; a flag we do not know yet may be anything. */
// z.custom, not z.record: a record schema copies the 43-key object of every account (garbage that the
// GC then stalls on during a 50,000-account sweep); this checks the CAD's object where it is.
const isFlagObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const permissions = z.custom<Record<string, unknown>>(isFlagObject, { error: 'must be an object of permission flags' }).superRefine((flags, ctx) => {
  for (const [name, value] of Object.entries(flags)) {
    if (KNOWN_FLAGS.has(name) && typeof value !== 'boolean') {
      ctx.addIssue({ code: 'custom', path: [name], message: `must be true or false, got ${JSON.stringify(value)?.slice(0, 20)}` });
    }
  }
});

/** Accounts that never logged in may carry null dates. */
const date = z.union([z.string().max(64), z.null()]).transform((d) => d ?? '');

const accountBase = {
  uuid: z.string().min(1).max(64),
  username: z.string().max(255),
  status: z.number().int().min(0).max(99),
  joined: date,
  lastLogin: date,
  permissions,
};

export const v1AccountSchema = z.looseObject({
  ...accountBase,
  apiIds: z.array(z.string().max(255)).max(64).transform((ids) => ids.filter((id) => id.trim() !== '')),
});

export const v2AccountSchema = z.looseObject({
  ...accountBase,
  communityUserId: z.union([z.string().max(255), z.null()]),
});

export const pageSchema = z.looseObject({
  pagination: z.looseObject({
    limit: z.number().int().min(0),
    offset: z.number().int().min(0),
    total: z.number().int().min(0),
  }),
  accounts: z.array(z.unknown()),
});

/** POST /v2/general/links/check: which account a communityUserId is linked to, if any. */
export const linkCheckSchema = z.looseObject({
  linked: z.boolean(),
  accountUuid: z.union([z.string().min(1).max(64), z.null()]).optional(),
});

export type V1Account = z.infer<typeof v1AccountSchema>;
export type V2Account = z.infer<typeof v2AccountSchema>;

/** `accounts[3].permissions.police: must be true or false` — the first problem, for one log line. */
export function describeIssues(error: z.ZodError, prefix: string): string {
  const issue = error.issues[0]!;
  const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.').replace(/\.(\d+)(?=\.|$)/g, '[$1]');
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return `${path || 'body'}: ${issue.message}${more}`;
}
