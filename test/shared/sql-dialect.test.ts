// MySQL 8 cannot be installed here, so every SQL statement the shared store sends is checked to parse
// in MySQL's dialect (node-sql-parser), and none uses syntax only MariaDB has. MariaDB's dialect is
// checked by MariaDB itself: every statement runs on a real one in mysql-store.test.ts and the other
// shared tests (node-sql-parser's MariaDB grammar is the weaker one: it refuses a column named
// `status` and DELETE ... LIMIT, both of which MariaDB runs).
import pkg from 'node-sql-parser';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sql } from '../../src/core/shared/mysql-store';
import { MIGRATIONS, tableNames } from '../../src/core/shared/schema';

const { Parser } = pkg;
const prefix = 'sonoran_accounts_';
const t = tableNames(prefix);

/** What mysql2 sends for `VALUES ?` with an array of rows: the rows expanded client-side. */
const expandBulk = (statement: string) => {
  const columns = /\(([^)]*)\) VALUES \?$/.exec(statement)?.[1]?.split(',').length ?? 0;
  const row = `(${Array.from({ length: columns }, () => '?').join(', ')})`;
  return statement.replace(/VALUES \?$/, `VALUES ${row}, ${row}`);
};

const { t: _tables, ...storeStatements } = sql(prefix);
const statements: [string, string][] = [
  ...Object.entries(storeStatements).map(([name, text]): [string, string] => [`store ${name}`, expandBulk(text)]),
  ...MIGRATIONS.flatMap((m) => m.statements(t).map((text, i): [string, string] => [`migration ${m.version}.${i + 1}`, text])),
  // schema.ts migrate()
  ['migrate: lock', 'SELECT GET_LOCK(?, 30) AS got'],
  ['migrate: schema table', `CREATE TABLE IF NOT EXISTS ${t.schema} (version INT NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci`],
  ['migrate: read', `SELECT MAX(version) AS v FROM ${t.schema}`],
  ['migrate: record', `INSERT INTO ${t.schema} (version, applied_at) VALUES (?, ?)`],
  ['migrate: unlock', 'SELECT RELEASE_LOCK(?)'],
  // what mysql2's beginTransaction/commit/rollback send
  ['begin', 'START TRANSACTION'],
  ['commit', 'COMMIT'],
  ['rollback', 'ROLLBACK'],
];

/**
 * database.ts's transaction settings, which node-sql-parser's grammar does not cover at all: checked
 * against the grammar of MySQL 8's manual (SET TRANSACTION, START TRANSACTION), which MariaDB shares.
 */
const SETTINGS: [string, string, RegExp][] = [
  ['session isolation', 'SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED', /^SET (SESSION )?TRANSACTION ISOLATION LEVEL (REPEATABLE READ|READ COMMITTED|READ UNCOMMITTED|SERIALIZABLE)$/],
  ['snapshot isolation', 'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ', /^SET (SESSION )?TRANSACTION ISOLATION LEVEL (REPEATABLE READ|READ COMMITTED|READ UNCOMMITTED|SERIALIZABLE)$/],
  ['snapshot begin', 'START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY', /^START TRANSACTION( (WITH CONSISTENT SNAPSHOT|READ ONLY|READ WRITE)(, (WITH CONSISTENT SNAPSHOT|READ ONLY|READ WRITE))*)?$/],
];

/** Syntax MariaDB accepts and MySQL 8 does not. */
const MARIADB_ONLY = [/\bRETURNING\b/i, /\bCREATE\s+OR\s+REPLACE\b/i, /\bSEQUENCE\b/i, /\bEXCEPT\s+ALL\b/i, /\bIF\s+(NOT\s+)?EXISTS\b(?=[^]*\bALTER\b)/i, /\bJSON_DETAILED\b/i];

describe('SQL dialect of the shared store', () => {
  const parser = new Parser();
  it.each(statements)('%s parses as MySQL', (_name, text) => {
    expect(() => parser.astify(text, { database: 'MySQL' })).not.toThrow();
    for (const only of MARIADB_ONLY) expect(text).not.toMatch(only);
  });

  it.each(SETTINGS)('%s follows MySQL\'s grammar, and database.ts sends it as written here', (_name, text, grammar) => {
    expect(text).toMatch(grammar);
    expect(readFileSync(join(__dirname, '../../src/core/shared/database.ts'), 'utf8')).toContain(`'${text}'`);
  });

  it('covers every statement the store builds', () => {
    expect(Object.keys(storeStatements).length).toBeGreaterThan(30);
    expect(statements.length).toBe(Object.keys(storeStatements).length + MIGRATIONS.reduce((n, m) => n + m.statements(t).length, 0) + 8);
  });
});
