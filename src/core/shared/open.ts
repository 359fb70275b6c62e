// From config + the convar to a running Sharing, or a clear reason why this server runs alone.
import type { Config } from '../config';
import { snapshotOwner } from '../snapshot';
import type { Clock, Logger } from '../types';
import { parseConnectionString } from './connection-string';
import { openDatabase } from './database';
import { createMysqlStore } from './mysql-store';
import { createSharing, type Sharing } from './sharing';

/**
 * The secrets the logger must mask once sharing is on: the password, as decoded and as written in the
 * convar (percent-encoded in a URI). Not the whole string: the masker also hides every 8-character
 * piece of a secret, and the host, user and database name are no secret but would vanish from messages.
 */
export function connectionSecrets(raw: string | undefined): string[] {
  const parsed = parseConnectionString(raw);
  if (!parsed.ok) return [];
  const written = raw !== undefined ? /^[^:/?#]*:\/\/[^:@/]*:([^@/]*)@/.exec(raw.slice(Math.max(0, raw.indexOf('mysql://'))))?.[1] : undefined;
  return [...new Set([parsed.connection.password, written ?? ''])].filter((s) => s !== '');
}

export function openSharing(config: Config, connectionString: string | undefined, clock: Clock, log: Logger): Sharing | null {
  if (!config.database.enabled) return null;
  const parsed = parseConnectionString(connectionString);
  if (!parsed.ok) {
    log.error(`database.enabled is on, but ${parsed.error}. Running alone (own sweep, pacing and snapshot)`);
    return null;
  }
  const community = shareIdentity(config);
  const statuses = [...config.statuses].sort();
  if (statuses.join(',') !== DEFAULT_STATUSES) {
    log.warn(
      `database: this server sweeps the statuses ${statuses.join(', ')} and shares only with servers sweeping exactly these; ` +
        `servers with other statuses (the default is active, banned) sweep apart`,
    );
  }
  const store = createMysqlStore(openDatabase(parsed.connection), config.database.tablePrefix, community);
  return createSharing({ store, config, clock, log });
}

const DEFAULT_STATUSES = 'active,banned';

/** Bumped when servers of different releases must not share rows; the schema version cannot say it (same tables). */
const SHARE_FORMAT = 2;

/**
 * Servers share when they sweep the same CAD community with the same API version AND the same statuses:
 * a holder's version is what every follower loads, so a holder sweeping fewer statuses (only "active")
 * would hide bans from the servers that sweep them. The hash is the snapshot's owner (the community ID
 * is not written in clear either) over the community, the statuses and a share format marker. Releases
 * before round 6 hashed every server as the bare community, whatever its statuses, and cannot tell what
 * an un-updated server sweeps: no server of this release ever lands on that hash, so during a rolling
 * update the un-updated servers share among themselves and the updated ones among themselves, each group
 * with its own lease, version and rate bucket (docs/owner/README.md, "Updating").
 */
export function shareIdentity(config: Pick<Config, 'apiUrl' | 'apiVersion' | 'communityID' | 'statuses'>): string {
  const statuses = [...config.statuses].sort().join(',');
  return snapshotOwner(config.apiUrl, config.apiVersion, `${config.communityID}\nshare:${SHARE_FORMAT}\nstatuses:${statuses}`);
}

