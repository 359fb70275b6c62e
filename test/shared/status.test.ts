// What the status endpoints report about sharing (src/core/status.ts, prometheus.ts over
// Sharing.status()): which server sweeps and who holds the lease, seen from both servers of one
// community on the memory store. The HTTP side is test/integration/status-http.test.ts.
import { describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { memoryShared } from '../../src/core/shared/memory-store';
import { prometheusText } from '../../src/core/prometheus';
import { statusReport } from '../../src/core/status';
import { memoryServers, until } from './memory-servers';

let cad: FakeCad | undefined;
const start = memoryServers(() => cad);

describe('status of a shared server', () => {
  it('names the lease holder on the server sweeping and on the one following, in JSON and as metrics', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 30 });
    const shared = memoryShared();
    const a = start(shared, 'server-A');
    await a.cache.refresh();
    const b = start(shared, 'server-B');
    await until(() => b.cache.info().accounts === 30, 'B loads A\'s version');
    await until(() => b.sharing.status().leaseHolder === 'server-A', 'B saw the lease holder');
    expect(a.sharing.status()).toEqual({ mode: 'shared', sweeping: true, server: 'server-A', leaseHolder: 'server-A' });
    expect(b.sharing.status()).toEqual({ mode: 'shared', sweeping: false, server: 'server-B', leaseHolder: 'server-A' });

    const report = statusReport({ resource: 'sonoran_accounts', version: '1.2.3', info: b.cache.info(), rateLimited: 0, shared: b.sharing.status(), now: Date.now(), redact: (t) => t });
    expect(report.shared).toEqual({ mode: 'shared', sweeping: false, server: 'server-B', leaseHolder: 'server-A' });
    const text = prometheusText(report);
    expect(text).toContain('# TYPE sonoran_accounts_shared_sweeping gauge\nsonoran_accounts_shared_sweeping 0\n');
    expect(text).toContain('sonoran_accounts_shared_info{mode="shared",server="server-B",lease_holder="server-A"} 1\n');
  });

  it('masks any text that could quote a secret, and escapes label values', () => {
    const info = { ready: false, source: 'empty' as const, accounts: 0, lastRefreshAt: null, lastError: 'failed with SECRET-KEY-123 in it', refreshing: false, nextRefreshAt: null, banWatchAt: null };
    const report = statusReport({ resource: 'r', version: 'v"1\\\n', info, rateLimited: 0, shared: null, now: 0, redact: (t) => t.replace('SECRET-KEY-123', '***') });
    expect(report.lastError).toBe('failed with *** in it');
    const text = prometheusText(report);
    expect(text).toContain('sonoran_accounts_info{version="v\\"1\\\\\\n",source="empty"} 1\n');
    // No time yet: no sample (Prometheus' convention), rather than a 0 that reads as 1970.
    expect(text).not.toContain('timestamp_seconds');
  });
});
