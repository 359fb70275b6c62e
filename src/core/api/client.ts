// One HTTP call per method, for either API version, answering validated CachedAccounts. Pacing and
// retries are not here: the scheduler wraps every call.
import type { Config } from '../config';
import type { CachedAccount, HttpResponse, HttpTransport } from '../types';
import { cachedAccount } from '../account-record';
import { mayHoldSecret, maskSecrets } from '../secrets';
import { asCadError, CadFailure, snippet, throwForStatus, v1FatalText, withoutSecret } from './errors';
import { readAccount } from './account-reader';
import { permissionIndex } from '../permissions';
import { describeIssues, linkCheckSchema, pageSchema } from './schemas';

export const PAGE_LIMIT = 100;

export interface AccountsPage {
  total: number;
  offset: number;
  accounts: CachedAccount[];
  /** Per account read tolerantly, the fields that were odd (see account-reader.ts). */
  odd: (readonly string[])[];
  /** Records without a readable uuid: what could be read of them, to keep their last good version. */
  unreadable: UnreadableRecord[];
}

export interface UnreadableRecord {
  where: string;
  ids: string[];
  username: string | null;
  /** The record's own status if readable, else the status the page was asked for. */
  status: number | null;
}

export interface CadClient {
  readonly version: 1 | 2;
  getAccountsPage(query: { status: number; offset: number; limit: number }): Promise<AccountsPage>;
  /** null when the CAD does not know the ID ("not found" is an answer, not an error). */
  getAccount(apiId: string): Promise<CachedAccount | null>;
  /** v2 only: the uuid of the account `communityUserId` is linked to, or null when it is linked to none. */
  checkLink(communityUserId: string): Promise<string | null>;
}

export interface ClientDeps {
  config: Pick<Config, 'apiUrl' | 'apiVersion' | 'apiKey' | 'communityID' | 'requestTimeoutSeconds' | 'maxResponseMegabytes'>;
  transport: HttpTransport;
  now: () => number;
  /**
   * When an answer counts as observed (merge.ts compares these); default `now`. The refresher passes a
   * stamp that never goes back, so a clock set back cannot date new information before older.
   */
  stamp?: () => number;
  onNewFlag?: (name: string) => void;
  /** A single lookup answered an account with odd fields (sweeps count theirs in the page). */
  onOddAccount?: (uuid: string, fields: readonly string[]) => void;
  /**
   * Gives the event loop a turn (the refresher's clock.setTimeout 0). Given, a page's records are read in
   * slices of PAGE_SLICE_MS: 100 records took ~1-2 ms of a server tick on this project's machine besides
   * the JSON parse, a sweep's longest block at 1,000 accounts (issue 23: at most 3 ms).
   */
  pause?: () => Promise<void>;
}

/**
 * How long a slice of a page's records runs before the event loop gets a turn (see ClientDeps.pause), the
 * JSON parse included: `now` counts whole milliseconds, so a slice is 0-1 ms of work before the records
 * between two looks (2 let it be 1-2 ms, after a parse that did not count).
 */
const PAGE_SLICE_MS = 1;
/** Records between two looks at the time (the first look right after the parse). */
const PAGE_CHECK_EVERY = 10;

export function createCadClient(deps: ClientDeps): CadClient {
  const { config, transport, now } = deps;
  const stamp = deps.stamp ?? now;
  const version = config.apiVersion;
  const limits = { timeoutMs: config.requestTimeoutSeconds * 1000, maxBytes: config.maxResponseMegabytes * 1024 * 1024 };
  // Text the CAD sends back is masked like an error body: a CAD or proxy echoing the request into an
  // answer would otherwise carry the key into exports, events, chat, logs and the snapshot.
  const secrets: readonly string[] = [config.apiKey];
  const quotesKey = (texts: readonly string[]) => texts.some((t) => mayHoldSecret(t, secrets));
  const mask = (t: string) => maskSecrets(t, secrets);

  const call = (path: string, v1Type: string, v1Data: Record<string, unknown>, v2Query: Record<string, string | number>) =>
    version === 1
      ? transport.request({
          method: 'POST',
          url: `${config.apiUrl}/general/${v1Type.toLowerCase()}`,
          headers: { accept: 'application/json' },
          body: JSON.stringify({ id: config.communityID, key: config.apiKey, type: v1Type, data: [v1Data] }),
          ...limits,
        })
      : transport.request({
          method: 'GET',
          url: `${config.apiUrl}/v2/general/${path}?${new URLSearchParams(Object.entries(v2Query).map(([k, v]): [string, string] => [k, String(v)]))}`,
          headers: { accept: 'application/json', authorization: `Bearer ${config.apiKey}` },
          ...limits,
        });

  const parseJson = (res: HttpResponse, what: string): unknown => {
    try {
      return JSON.parse(res.body);
    } catch {
      const looksHtml = /^\s*</.test(res.body);
      throw new CadFailure('transient', `${what}: answer is ${looksHtml ? 'an HTML page' : 'not valid JSON'} (${snippet(res.body, 40, secrets)})`);
    }
  };

  /**
   * Permission flag names are text the CAD sends back too: a name quoting the key would be registered as a
   * new flag and shown by name (permissions lists, the new-flag line, events, the snapshot). Only names
   * not yet known are checked, so the 43 known flags of every account cost one map lookup each.
   */
  const withFlagNamesMasked = (record: unknown): unknown => {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) return record;
    const flags = (record as { permissions?: unknown }).permissions;
    if (flags === null || typeof flags !== 'object' || Array.isArray(flags)) return record;
    let quoting = false;
    for (const name in flags) {
      if (permissionIndex(name) === -1 && mayHoldSecret(name, secrets)) {
        quoting = true;
        break;
      }
    }
    if (!quoting) return record;
    const masked: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(flags)) masked[permissionIndex(name) === -1 ? mask(name) : name] = value;
    return { ...(record as object), permissions: masked };
  };

  /** A record without a readable uuid is logged (where) and may stand in for a ban (ids, username): masked alike. */
  const scrubbedUnreadable = (record: UnreadableRecord): UnreadableRecord =>
    !quotesKey([record.where, record.username ?? '', ...record.ids])
      ? record
      : { ...record, where: mask(record.where), username: record.username === null ? null : mask(record.username), ids: record.ids.map(mask) };

  /** An account's texts (uuid, username, API IDs, communityUserId, the two dates); the common account costs one Set lookup per 8 characters. */
  const scrubbed = (account: CachedAccount): CachedAccount =>
    !quotesKey([account.uuid, account.username, ...account.apiIds, account.communityUserId ?? '', account.joined, account.lastLogin])
      ? account
      : cachedAccount(mask(account.uuid), mask(account.username), account.communityUserId === null ? null : mask(account.communityUserId),
          account.apiIds.map(mask), account.status, mask(account.joined), mask(account.lastLogin), account.w0, account.w1, account.w2, account.observedAt);

  const masked = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => (...args: A): Promise<R> =>
    fn(...args).catch((err: unknown) => {
      throw withoutSecret(asCadError(err), config.apiKey);
    });

  return {
    version,
    checkLink: masked(async (communityUserId: string) => {
      const what = 'links/check';
      if (version !== 2) throw new CadFailure('fatal', `${what} exists on API v2 only`);
      const res = await transport.request({
        method: 'POST',
        url: `${config.apiUrl}/v2/general/links/check`,
        headers: { accept: 'application/json', 'content-type': 'application/json', authorization: `Bearer ${config.apiKey}` },
        body: JSON.stringify({ communityUserId }),
        ...limits,
      });
      throwForStatus(res, version, what, now(), secrets);
      const answer = linkCheckSchema.safeParse(parseJson(res, what));
      if (!answer.success) throw new CadFailure('invalidResponse', `${what}: ${describeIssues(answer.error, '')}`);
      return answer.data.linked ? (answer.data.accountUuid ?? null) : null;
    }),
    getAccountsPage: masked(async ({ status, offset, limit }: { status: number; offset: number; limit: number }) => {
      const what = `GET_ACCOUNTS status ${status} offset ${offset}`;
      const askedAt = stamp();
      const res = await call('accounts', 'GET_ACCOUNTS', { limit, offset, status }, { limit, offset, status });
      const observedAt = stamp();
      let sliceStart = now();
      throwForStatus(res, version, what, now(), secrets);
      const page = pageSchema.safeParse(parseJson(res, what));
      if (!page.success) throw new CadFailure('invalidResponse', `${what}: ${describeIssues(page.error, '')}`);
      const { pagination, accounts: records } = page.data;
      if (records.length > limit) throw new CadFailure('invalidResponse', `${what}: ${records.length} accounts on a page of ${limit}`);
      const answer: AccountsPage = { total: pagination.total, offset: pagination.offset, accounts: [], odd: [], unreadable: [] };
      for (let i = 0; i < records.length; i++) {
        if (deps.pause !== undefined && i % PAGE_CHECK_EVERY === 0 && now() - sliceStart >= PAGE_SLICE_MS) {
          await deps.pause();
          sliceStart = now();
        }
        const read = readAccount(withFlagNamesMasked(records[i]), { version, statusAsked: status, onNewFlag: deps.onNewFlag, observedAt, askedAt });
        if (!read.ok) answer.unreadable.push(scrubbedUnreadable({ where: `${what} accounts[${i}]: ${read.problem}`, ids: read.ids, username: read.username, status: read.status }));
        else {
          answer.accounts.push(scrubbed(read.account));
          if (read.odd.length > 0) answer.odd.push(read.odd);
        }
      }
      return answer;
    }),
    getAccount: masked(async (apiId: string) => {
      const what = 'GET_ACCOUNT';
      const askedAt = stamp();
      const res = await call('accounts/account', 'GET_ACCOUNT', { apiId }, { communityUserId: apiId });
      const observedAt = stamp();
      const notFound = version === 1 ? res.status >= 400 && res.status < 500 && res.status !== 429 && !v1FatalText(res.body) : res.status === 404;
      if (notFound) return null;
      throwForStatus(res, version, what, now(), secrets);
      const read = readAccount(withFlagNamesMasked(parseJson(res, what)), { version, onNewFlag: deps.onNewFlag, observedAt, askedAt });
      if (!read.ok) throw new CadFailure('invalidResponse', `${what}: ${read.problem}`);
      const account = scrubbed(read.account);
      if (read.odd.length > 0) deps.onOddAccount?.(account.uuid, read.odd);
      return account;
    }),
  };
}
