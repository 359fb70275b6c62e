// A server whose own CAD calls fail (its API key revoked or old: syncing stopped; or its network to the
// CAD down past the lease) gives the sweep lease up and does not take it again until its own calls
// succeed: another server sweeps and watches bans for the community (red team round 6, hole 3).
import { describe, expect, it } from 'vitest';
import { startFakeCad, type FakeCad } from '../../dev/fake-cad';
import { memoryShared } from '../../src/core/shared/memory-store';
import { cadHealth } from '../../src/core/shared/cad-health';
import { CadFailure } from '../../src/core/api/errors';
import { manualClock } from '../core/helpers';
import { memoryServers, until } from './memory-servers';

let cad: FakeCad | undefined;
const start = memoryServers(() => cad);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a holder that cannot reach the CAD', () => {
  it('with its API key refused (syncing stopped): gives the lease up, says so once without the key, never takes it back; a healthy server sweeps', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 20 });
    const shared = memoryShared();
    const a = start(shared, 'A', undefined, { apiKey: 'OLD-KEY-7d41c2aa-revoked' });
    expect(await a.cache.refresh().catch((err: CadFailure) => err.kind)).toBe('fatal');
    const b = start(shared, 'B');
    await until(() => b.sharing.sweeping(), 'B holds the lease');
    expect(a.sharing.sweeping()).toBe(false);
    await sleep(1500); // past the lease (1 s): A does not take it back
    expect(shared.lease.holder).toBe('B');
    expect(a.log.lines.filter((l) => l.includes('gives the sweep lease up'))).toHaveLength(1);
    expect(a.log.lines.join('\n')).not.toContain('OLD-KEY-7d41c2aa');
  });

  it('with its network to the CAD down: gives the lease up once its failing lasted past the lease', async () => {
    cad = await startFakeCad({ rateLimit: false, accounts: 20 });
    const shared = memoryShared();
    const a = start(shared, 'A', undefined, { apiUrl: 'http://127.0.0.1:9/', requestTimeoutSeconds: 1 });
    await a.cache.refresh().catch(() => null);
    const b = start(shared, 'B');
    await until(() => b.sharing.sweeping(), 'B holds the lease');
    expect(a.log.lines.filter((l) => l.includes('gives the sweep lease up'))).toHaveLength(1);
  });
});

describe('cadHealth', () => {
  const transient = new CadFailure('transient', 'cannot reach the CAD (ECONNREFUSED)');
  it('a stopped sync (fatal) is unfit at once and for good', () => {
    const clock = manualClock();
    const health = cadHealth(clock, 30_000, 60_000);
    health.failed(new CadFailure('fatal', 'INVALID API KEY'));
    expect(health.unfit()).toBe(true);
    health.succeeded();
    expect(health.unfit()).toBe(true);
  });
  it('failing calls are unfit once failing lasted past the lease, fit again at the first success, or a while after the last failure', async () => {
    const clock = manualClock();
    const health = cadHealth(clock, 30_000, 60_000);
    health.failed(transient);
    expect(health.unfit()).toBe(false);
    await clock.advance(30_000);
    expect(health.unfit()).toBe(true);
    health.succeeded();
    expect(health.unfit()).toBe(false);
    health.failed(transient);
    await clock.advance(31_000);
    health.failed(transient);
    expect(health.unfit()).toBe(true);
    // No CAD call for a while (a follower makes few): it may take a free lease and try again.
    await clock.advance(60_000);
    expect(health.unfit()).toBe(false);
  });
});
