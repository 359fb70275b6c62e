// mysql_connection_string as oxmysql reads it (its own test cases), plus where we are stricter: user and
// password percent-decoded, nothing missing silently defaulted, no error that repeats the secret.
import { describe, expect, it } from 'vitest';
import { parseConnectionString } from '../../src/core/shared/connection-string';
import { connectionSecrets } from '../../src/core/shared/open';

const ok = (raw: string) => {
  const parsed = parseConnectionString(raw);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.connection;
};

describe('mysql_connection_string', () => {
  it("reads oxmysql's URI form, query options included", () => {
    expect(ok('mysql://user:pass@db.host:3306/mydb?charset=utf8mb4')).toEqual({ host: 'db.host', port: 3306, user: 'user', password: 'pass', database: 'mydb', charset: 'utf8mb4' });
    expect(ok('mysql://root@localhost/es_extended')).toMatchObject({ host: 'localhost', port: 3306, user: 'root', password: '', database: 'es_extended' });
  });

  it("reads oxmysql's key=value; form with its aliases, keys in any case", () => {
    expect(ok('server=127.0.0.1;uid=root;pwd=secret;db=app')).toMatchObject({ host: '127.0.0.1', user: 'root', password: 'secret', database: 'app', port: 3306 });
    expect(ok('Data Source=10.0.0.5;User Id=fivem;Password=pa=ss;Database=qb;Port=3307')).toMatchObject({ host: '10.0.0.5', user: 'fivem', password: 'pa=ss', database: 'qb', port: 3307 });
    expect(ok('host=h;user=u;database=d;ssl={"rejectUnauthorized":false}').ssl).toEqual({ rejectUnauthorized: false });
  });

  it('percent-decodes user and password in the URI, and keeps characters oxmysql would cut', () => {
    expect(ok('mysql://fivem:p%40ss%3Aw0rd@127.0.0.1:3306/fivem')).toMatchObject({ user: 'fivem', password: 'p@ss:w0rd' });
    expect(ok('mysql://fivem:a:b:c@127.0.0.1/fivem').password).toBe('a:b:c');
  });

  it('refuses what oxmysql would quietly turn into root@localhost, without repeating the string', () => {
    for (const raw of ['', 'mysql://127.0.0.1/db', 'host=127.0.0.1;password=hunter22;database=x', 'user=u;password=hunter22', 'mysql://u:hunter22@h/', 'mysql://u:hunter22@h:99999/db', 'not a connection string hunter22']) {
      const parsed = parseConnectionString(raw);
      expect(parsed.ok, raw).toBe(false);
      if (!parsed.ok) {
        expect(parsed.error).toContain('mysql_connection_string');
        expect(parsed.error).not.toContain('hunter22');
      }
    }
  });
});

describe('what the logger masks', () => {
  it('the password, decoded and as written in the URI; not the host, user or database', () => {
    expect(connectionSecrets('mysql://fivem:p%40ss%3Aw0rd@127.0.0.1:3306/fivem').sort()).toEqual(['p%40ss%3Aw0rd', 'p@ss:w0rd']);
    expect(connectionSecrets('host=127.0.0.1;user=fivem;password=hunter22;database=es_extended')).toEqual(['hunter22']);
    expect(connectionSecrets('mysql://root@localhost/db')).toEqual([]);
  });
});
