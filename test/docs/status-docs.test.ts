// The owner README's "Status from outside (HTTP)" section against the code that serves it: the convar,
// the two paths, every JSON field and every metric name, so neither can change without the README.
// (That the built bundle serves them over HTTP: test/integration/status-http.test.ts.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../dev/resource-folder';
import { prometheusText } from '../../src/core/prometheus';
import { statusReport } from '../../src/core/status';
import { MIN_TOKEN_LENGTH, STATUS_PATHS, STATUS_TOKEN_CONVAR } from '../../src/fivem/status-http';

const readme = readFileSync(join(ROOT, 'docs/owner/README.md'), 'utf8');
const section = readme.slice(readme.indexOf('\n## Status from outside (HTTP)')).split(/\n## /)[1]!;
const rows = section.split('\n').filter((l) => l.startsWith('| `'));
const row = (first: string) => rows.find((l) => l.startsWith(`| \`${first}\``)) ?? '';

/** A report with every optional part present (shared on, times set). */
const full = statusReport({
  resource: 'sonoran_accounts',
  version: '1.0.0',
  info: { ready: true, source: 'api', accounts: 1, lastRefreshAt: 1, lastError: null, refreshing: false, nextRefreshAt: 2, banWatchAt: 2 },
  rateLimited: 0,
  shared: { mode: 'shared', sweeping: true, server: 'a', leaseHolder: 'a' },
  now: 3,
  redact: (t) => t,
});

describe('owner README: status from outside', () => {
  it('documents the token convar, its minimum length, that it must not be the API key, and that it is off by default', () => {
    expect(readme).toContain('\n## Status from outside (HTTP)\n');
    expect(row(STATUS_TOKEN_CONVAR)).toContain('(off)');
    expect(row(STATUS_TOKEN_CONVAR)).toContain(`at least ${MIN_TOKEN_LENGTH} characters, and not the API key`);
    expect(section).toContain(`set ${STATUS_TOKEN_CONVAR} "`);
    expect(section).toContain('Authorization: Bearer');
  });

  it('lists exactly the paths served, /status with every JSON field and /metrics with every metric name', () => {
    const paths = rows.map((l) => /^\| `(\/[^`]+)`/.exec(l)?.[1]).filter(Boolean);
    expect(paths.sort()).toEqual(Object.values(STATUS_PATHS).map((p) => `/sonoran_accounts${p}`).sort());
    const fields = /`\{ ([^}]+) \}`/.exec(row(`/sonoran_accounts${STATUS_PATHS.status}`))![1]!.split(', ');
    expect(fields).toEqual(Object.keys(full));
    const sharedFields = /`\{ (mode, [^}]+) \}`/.exec(row(`/sonoran_accounts${STATUS_PATHS.status}`))![1]!.split(', ');
    expect(sharedFields).toEqual(Object.keys(full.shared!));
    const documented = [...row(`/sonoran_accounts${STATUS_PATHS.metrics}`).matchAll(/`(sonoran_accounts_[a-z_]+)/g)].map((m) => m[1]!);
    const served = [...prometheusText(full).matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]!);
    expect(documented.sort()).toEqual(served.sort());
  });

  it('gives a Prometheus scrape of the metrics path with the bearer token', () => {
    const scrape = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    expect(scrape).toContain(`metrics_path: /sonoran_accounts${STATUS_PATHS.metrics}`);
    expect(scrape).toMatch(/authorization:\n\s+type: Bearer\n\s+credentials: /);
  });
});
