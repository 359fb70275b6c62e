// One HTTP call per method, for either API version, answering validated CachedAccounts. Pacing and
// retries are not here: the scheduler wraps every call.
import { toCachedAccount } from '../account-record';
import type { Config } from '../config';
import type { CachedAccount, HttpResponse, HttpTransport } from '../types';
import { asCadError, CadFailure, snippet, throwForStatus, v1FatalText, withoutSecret } from './errors';
import { describeIssues, pageSchema, v1AccountSchema, v2AccountSchema } from './schemas';

export const PAGE_LIMIT = 100;

export interface AccountsPage {
  total: number;
  offset: number;
  accounts: CachedAccount[];
}

export interface CadClient {
  readonly version: 1 | 2;
  getAccountsPage(query: { status: number; offset: number; limit: number }): Promise<AccountsPage>;
  /** null when the CAD does not know the ID ("not found" is an answer, not an error). */
  getAccount(apiId: string): Promise<CachedAccount | null>;
}

export interface ClientDeps {
  config: Pick<Config, 'apiUrl' | 'apiVersion' | 'apiKey' | 'communityID' | 'requestTimeoutSeconds' | 'maxResponseMegabytes'>;
  transport: HttpTransport;
  now: () => number;
  onNewFlag?: (name: string) => void;
}

export function createCadClient(deps: ClientDeps): CadClient {
  const { config, transport, now } = deps;
  const version = config.apiVersion;
  const accountSchema = version === 1 ? v1AccountSchema : v2AccountSchema;
  const limits = { timeoutMs: config.requestTimeoutSeconds * 1000, maxBytes: config.maxResponseMegabytes * 1024 * 1024 };

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
      throw new CadFailure('transient', `${what}: answer is ${looksHtml ? 'an HTML page' : 'not valid JSON'} (${snippet(res.body, 40)})`);
    }
  };

  const toAccount = (raw: unknown, what: string, at: string): CachedAccount => {
    const parsed = accountSchema.safeParse(raw);
    if (!parsed.success) throw new CadFailure('invalidResponse', `${what}: ${describeIssues(parsed.error, at)}`);
    return toCachedAccount(parsed.data, deps.onNewFlag);
  };

  const masked = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => (...args: A): Promise<R> =>
    fn(...args).catch((err: unknown) => {
      throw withoutSecret(asCadError(err), config.apiKey);
    });

  return {
    version,
    getAccountsPage: masked(async ({ status, offset, limit }: { status: number; offset: number; limit: number }) => {
      const what = `GET_ACCOUNTS status ${status} offset ${offset}`;
      const res = await call('accounts', 'GET_ACCOUNTS', { limit, offset, status }, { limit, offset, status });
      throwForStatus(res, version, what, now());
      const page = pageSchema.safeParse(parseJson(res, what));
      if (!page.success) throw new CadFailure('invalidResponse', `${what}: ${describeIssues(page.error, '')}`);
      const { pagination, accounts } = page.data;
      if (accounts.length > limit) throw new CadFailure('invalidResponse', `${what}: ${accounts.length} accounts on a page of ${limit}`);
      return {
        total: pagination.total,
        offset: pagination.offset,
        accounts: accounts.map((raw, i) => toAccount(raw, what, `accounts.${i}`)),
      };
    }),
    getAccount: masked(async (apiId: string) => {
      const what = 'GET_ACCOUNT';
      const res = await call('accounts/account', 'GET_ACCOUNT', { apiId }, { communityUserId: apiId });
      const notFound = version === 1 ? res.status >= 400 && res.status < 500 && res.status !== 429 && !v1FatalText(res.body) : res.status === 404;
      if (notFound) return null;
      throwForStatus(res, version, what, now());
      return toAccount(parseJson(res, what), what, '');
    }),
  };
}
