// One block on the console when the resource starts: what is in force and where it came from, so an
// owner reading the console (or txAdmin's Live Console) knows without guessing. Never the API key:
// only whether it is set and where from.
import { CONVARS, type Config } from '../core/config';
import type { CacheInfo } from '../core/types';
import { STATUS_TOKEN_CONVAR } from './status-http';

export interface StartStatus {
  /** fxmanifest's `version` (GetResourceMetadata). */
  version: string;
  config: Config;
  /** Which file is in force (config.json, the kept copy, the defaults) and the settings a convar set. */
  origin: { file: string; fromConvar: readonly string[] };
  /** `sonorancad` has started before this resource: it set the convars from its own config. */
  sonorancad: boolean;
  /** Waiting for sonorancad to start and set the key. */
  waiting: boolean;
  /** Why the cache cannot sync, when it cannot. */
  syncDisabled?: string;
  ace: string;
  /** The HTTP status endpoints would answer now (their token convar holds a usable token; never the token). */
  statusEndpoints: boolean;
  info: CacheInfo;
  now: number;
}

export function statusBlock(s: StartStatus): string[] {
  const { config } = s;
  const from = (key: 'apiKey' | 'communityID') =>
    s.origin.fromConvar.includes(key)
      ? `from the convar ${CONVARS[key]}${s.sonorancad ? ' (set by sonorancad from its config)' : ''}`
      : `from ${s.origin.file === 'config.json' ? 'config.json' : s.origin.file}`;
  const key = s.waiting
    ? `waiting for sonorancad to start and set ${CONVARS.apiKey}`
    : config.apiKey === '' ? `not set (${CONVARS.apiKey})` : `set, ${from('apiKey')}`;
  const community = config.communityID === '' ? `not set (${CONVARS.communityID}${config.apiVersion === 1 ? ', needed on API v1' : ''})` : `${config.communityID}, ${from('communityID')}`;
  const rate = config.apiVersion === 1 ? `${config.rateLimit.v1PerSecond} call/s` : `${config.rateLimit.v2PerMinute} calls/min`;
  const sharing = config.database.enabled
    ? `on (tables ${config.database.tablePrefix}*): the server holding the sweep lease sweeps and says so, the others load its versions`
    : 'off (database.enabled)';
  const every = `every ${config.refreshMinutes} min (± ${config.refreshJitterSeconds} s)`;
  const sweeps =
    s.waiting ? 'once sonorancad has set the key'
    : s.syncDisabled !== undefined ? `off: ${s.syncDisabled.replace(/^not syncing CAD accounts: /, '')}`
    : s.info.refreshing ? `first sweep running now, then ${every}`
    : s.info.nextRefreshAt !== null ? `next sweep in ${Math.max(0, Math.round((s.info.nextRefreshAt - s.now) / 1000))} s, then ${every}`
    : `none scheduled`;
  const rows: [string, string][] = [
    ['config', s.origin.file],
    ['API key', key],
    ['community ID', community],
    ['API', `${config.apiUrl}, v${config.apiVersion} (${rate})`],
    ['database sharing', sharing],
    ['ACE bridge', s.ace],
    ['status over HTTP', s.statusEndpoints ? `on (/sonoran_accounts/status and /metrics, with the token of ${STATUS_TOKEN_CONVAR})` : `off (${STATUS_TOKEN_CONVAR} not set)`],
    ['sweeps', sweeps],
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  return [`sonoran_accounts ${s.version}`, ...rows.map(([label, value]) => `   ${`${label}:`.padEnd(width)}${value}`)];
}
