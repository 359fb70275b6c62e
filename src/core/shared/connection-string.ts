// `mysql_connection_string`, read the way oxmysql reads it, so a server's existing convar works
// unchanged: a value containing `mysql://` is a URI (user:password@host:port/database?options), anything
// else is `key=value;` pairs with oxmysql's aliases, keys case-insensitive. Stricter than oxmysql where
// it protects the owner: user and password are percent-decoded (as mysql2 does for its own URIs), a
// missing host, user or database is an error instead of a silent root@localhost, and no error message
// ever repeats the string or the password.
export const CONNECTION_CONVAR = 'mysql_connection_string';

export interface DbConnection {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** mysql2's `ssl` option when the string carries one (JSON, as oxmysql parses it). */
  ssl?: unknown;
  socketPath?: string;
  charset?: string;
}

export type ParsedConnection = { ok: true; connection: DbConnection } | { ok: false; error: string };

/** oxmysql's aliases (`src/config.ts`), matched on the whole key. */
const ALIASES: Record<string, keyof DbConnection | 'port'> = {
  host: 'host',
  hostname: 'host',
  ip: 'host',
  server: 'host',
  datasource: 'host',
  addr: 'host',
  address: 'host',
  user: 'user',
  userid: 'user',
  username: 'user',
  uid: 'user',
  password: 'password',
  pwd: 'password',
  pass: 'password',
  database: 'database',
  db: 'database',
  port: 'port',
  ssl: 'ssl',
  socketpath: 'socketPath',
  charset: 'charset',
};

export function parseConnectionString(raw: string | undefined): ParsedConnection {
  const text = (raw ?? '').trim();
  if (text === '') return { ok: false, error: `the convar ${CONNECTION_CONVAR} is not set (it is the one oxmysql reads)` };
  const fields = text.includes('mysql://') ? fromUri(text) : fromPairs(text);
  if (!fields) return { ok: false, error: `the convar ${CONNECTION_CONVAR} is not a mysql:// URI nor key=value; pairs oxmysql understands` };
  return complete(fields);
}

type Fields = Partial<Record<keyof DbConnection, string>>;

function fromUri(text: string): Fields | null {
  let url: URL;
  try {
    url = new URL(text.slice(text.indexOf('mysql://')));
  } catch {
    return null;
  }
  const fields: Fields = {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port,
    user: decode(url.username),
    password: decode(url.password),
    database: decode(url.pathname.replace(/^\/+/, '')),
  };
  for (const [key, value] of url.searchParams) {
    // As in oxmysql, options in the query override what the URI's parts said.
    const field = ALIASES[key.replace(/\s+/g, '').toLowerCase()];
    if (field) fields[field] = value;
  }
  return fields;
}

function fromPairs(text: string): Fields | null {
  const fields: Fields = {};
  let any = false;
  for (const part of text.split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const field = ALIASES[part.slice(0, at).replace(/\s+/g, '').toLowerCase()];
    if (!field) continue;
    fields[field] = part.slice(at + 1).trim();
    any = true;
  }
  return any ? fields : null;
}

function complete(f: Fields): ParsedConnection {
  const missing = (['host', 'user', 'database'] as const).filter((k) => !f[k] && !(k === 'host' && f.socketPath));
  if (missing.length > 0) return { ok: false, error: `the convar ${CONNECTION_CONVAR} names no ${missing.join(', no ')}` };
  const port = f.port ? Number(f.port) : 3306;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { ok: false, error: `the convar ${CONNECTION_CONVAR} has a port that is not a number from 1 to 65535` };
  const connection: DbConnection = { host: f.host ?? 'localhost', port, user: f.user!, password: f.password ?? '', database: f.database! };
  if (f.socketPath) connection.socketPath = f.socketPath;
  if (f.charset) connection.charset = f.charset;
  if (f.ssl) {
    try {
      connection.ssl = JSON.parse(f.ssl);
    } catch {
      // oxmysql passes a non-JSON ssl value on as a string: mysql2 reads it as an SSL profile name.
      connection.ssl = f.ssl;
    }
  }
  return { ok: true, connection };
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
