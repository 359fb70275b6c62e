import { generateAccounts } from '../dev/fake-cad/generate';
import { renderAccount } from '../dev/fake-cad/render';
import { createCadClient } from '../src/core/api/client';
import { coreConfig } from './util';

const accts = generateAccounts(5000, 42);
const bodies: string[] = [];
for (let i = 0; i < accts.length; i += 100) bodies.push(JSON.stringify({ pagination: { limit: 100, offset: i, total: 5000 }, accounts: accts.slice(i, i + 100).map((a) => renderAccount(a, 1)) }));
let k = 0;
const client = createCadClient({ config: coreConfig({ url: 'http://127.0.0.1:1', apiKey: 'BENCH-KEY-123456', communityId: 'c' }), transport: { request: async () => ({ status: 200, headers: {}, body: bodies[k++ % bodies.length]! }) }, now: Date.now });
async function run() {
  const ms: number[] = [];
  for (let r = 0; r < 4 * bodies.length; r++) {
    const t0 = performance.now();
    await client.getAccountsPage({ status: 1, offset: (r % bodies.length) * 100, limit: 100 });
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { medianMsPerPage: ms[ms.length >> 1], p90: ms[Math.floor(ms.length * 0.9)] };
}
for (let i = 0; i < 3; i++) console.log(await run());
