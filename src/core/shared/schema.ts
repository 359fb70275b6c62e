// The shared tables and their versioned migrations. Each server runs `migrate` at start under a named
// lock, so two servers starting together do not both create; a server finding a schema newer than it
// knows refuses to touch it (an older resource version next to a newer one) and runs alone.
import type { Db, Queryable } from './database';

export interface Tables {
  schema: string;
  lease: string;
  state: string;
  versions: string;
  accounts: string;
  lookups: string;
  bucket: string;
  roster: string;
  online: string;
  watch: string;
}

export function tableNames(prefix: string): Tables {
  const t = (name: string) => `\`${prefix}${name}\``;
  return { schema: t('schema'), lease: t('lease'), state: t('state'), versions: t('versions'), accounts: t('accounts'), lookups: t('lookups'), bucket: t('bucket'), roster: t('roster'), online: t('online'), watch: t('watch') };
}

/** An account row, the same in a version and in the shared lookups (what account-reader.ts accepts fits). */
const ACCOUNT_COLUMNS_DDL = `uuid VARCHAR(64) NOT NULL,
        username VARCHAR(255) NOT NULL,
        community_user_id VARCHAR(255) NULL,
        api_ids MEDIUMTEXT NOT NULL,
        status SMALLINT NOT NULL,
        joined VARCHAR(64) NOT NULL,
        last_login VARCHAR(64) NOT NULL,
        permissions MEDIUMTEXT NOT NULL,
        observed_at BIGINT NOT NULL,`;

const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci';

/** Append only: a released migration never changes, the next change is a new entry. */
export const MIGRATIONS: { version: number; statements: (t: Tables) => string[] }[] = [
  {
    version: 1,
    statements: (t) => [
      `CREATE TABLE IF NOT EXISTS ${t.lease} (
        community CHAR(16) NOT NULL PRIMARY KEY,
        holder VARCHAR(64) NOT NULL,
        token BIGINT NOT NULL,
        expires_at BIGINT NOT NULL
      ) ${TABLE_OPTIONS}`,
      `CREATE TABLE IF NOT EXISTS ${t.state} (
        community CHAR(16) NOT NULL PRIMARY KEY,
        current_version BIGINT NULL,
        lookup_seq BIGINT NOT NULL DEFAULT 0,
        updated_at BIGINT NOT NULL
      ) ${TABLE_OPTIONS}`,
      `CREATE TABLE IF NOT EXISTS ${t.versions} (
        id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
        community CHAR(16) NOT NULL,
        token BIGINT NOT NULL,
        holder VARCHAR(64) NOT NULL,
        started_at BIGINT NOT NULL,
        created_at BIGINT NOT NULL,
        accounts INT NOT NULL,
        by_status VARCHAR(255) NOT NULL,
        KEY community_id (community, id)
      ) ${TABLE_OPTIONS}`,
      `CREATE TABLE IF NOT EXISTS ${t.accounts} (
        community CHAR(16) NOT NULL,
        version BIGINT NOT NULL,
        ${ACCOUNT_COLUMNS_DDL}
        PRIMARY KEY (community, version, uuid)
      ) ${TABLE_OPTIONS}`,
      `CREATE TABLE IF NOT EXISTS ${t.lookups} (
        community CHAR(16) NOT NULL,
        ${ACCOUNT_COLUMNS_DDL}
        seq BIGINT NOT NULL,
        PRIMARY KEY (community, uuid),
        KEY community_seq (community, seq)
      ) ${TABLE_OPTIONS}`,
      `CREATE TABLE IF NOT EXISTS ${t.bucket} (
        community CHAR(16) NOT NULL PRIMARY KEY,
        tokens DOUBLE NOT NULL,
        updated_at BIGINT NOT NULL,
        paused_until BIGINT NOT NULL,
        high_until BIGINT NOT NULL DEFAULT 0
      ) ${TABLE_OPTIONS}`,
    ],
  },
  {
    // The servers seen lately: one that runs alone (the database down) takes its share of the key's rate.
    version: 2,
    statements: (t) => [
      `CREATE TABLE IF NOT EXISTS ${t.roster} (
        community CHAR(16) NOT NULL,
        holder VARCHAR(64) NOT NULL,
        seen_at BIGINT NOT NULL,
        PRIMARY KEY (community, holder)
      ) ${TABLE_OPTIONS}`,
    ],
  },
  {
    // Each server's online players, as the accounts it holds for them (uuid only): the lease holder runs
    // the online refresh for all of them. Dated by the database's clock like the roster; a server that
    // stops publishing (crashed, cut off) drops out after the roster's window.
    version: 3,
    statements: (t) => [
      `CREATE TABLE IF NOT EXISTS ${t.online} (
        community CHAR(16) NOT NULL,
        holder VARCHAR(64) NOT NULL,
        uuid VARCHAR(64) NOT NULL,
        seen_at BIGINT NOT NULL,
        PRIMARY KEY (community, holder, uuid),
        KEY community_seen (community, seen_at)
      ) ${TABLE_OPTIONS}`,
    ],
  },
  {
    // When a server's ban watch last read the whole banned list: a follower runs it when that is old.
    version: 4,
    statements: (t) => [
      `CREATE TABLE IF NOT EXISTS ${t.watch} (
        community CHAR(16) NOT NULL PRIMARY KEY,
        ran_at BIGINT NOT NULL
      ) ${TABLE_OPTIONS}`,
    ],
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export async function migrate(db: Db, prefix: string): Promise<void> {
  const t = tableNames(prefix);
  await db.session(async (q: Queryable) => {
    const [lock] = await q.query<{ got: number | null }[]>('SELECT GET_LOCK(?, 30) AS got', [`${prefix}migrate`]);
    if (lock?.got !== 1) throw new Error('another server held the migration lock for 30 s');
    try {
      await q.query(`CREATE TABLE IF NOT EXISTS ${t.schema} (version INT NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL) ${TABLE_OPTIONS}`);
      const rows = await q.query<{ v: number | null }[]>(`SELECT MAX(version) AS v FROM ${t.schema}`);
      const at = Number(rows[0]?.v ?? 0);
      if (at > SCHEMA_VERSION) throw new Error(`the tables ${prefix}* are at schema ${at}, newer than this resource's ${SCHEMA_VERSION}: update sonoran_accounts on this server`);
      for (const m of MIGRATIONS) {
        if (m.version <= at) {
          // Applied already, but a table may have been dropped since (an owner cleaning tables): its
          // CREATE TABLE IF NOT EXISTS brings it back empty, and does nothing to a table that is there.
          for (const sql of m.statements(t)) if (sql.startsWith('CREATE TABLE IF NOT EXISTS')) await q.query(sql);
          continue;
        }
        for (const sql of m.statements(t)) await q.query(sql);
        await q.query(`INSERT INTO ${t.schema} (version, applied_at) VALUES (?, ?)`, [m.version, Date.now()]);
      }
    } finally {
      await q.query('SELECT RELEASE_LOCK(?)', [`${prefix}migrate`]);
    }
  });
}
