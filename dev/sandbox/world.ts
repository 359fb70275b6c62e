// The sandbox's world: the emulator running the built resource, against the embedded fake CAD or,
// with credentials in the environment, the live Sonoran API (read-only: the resource only reads).
import { rmSync } from 'node:fs';
import { createFxServer, type FxServer } from '../emulator';
import { startFakeCad, type FakeCad } from '../fake-cad';
import { resourceFolder } from '../resource-folder';
import { fxColors } from './colors';

export interface World {
  fx: FxServer;
  /** null when running against the live API. */
  cad: FakeCad | null;
  print(line: string): void;
  close(): Promise<void>;
}

export interface Live {
  communityId: string;
  apiKey: string;
  apiVersion: string;
  apiUrl: string;
}

export function liveCredentials(env: NodeJS.ProcessEnv): Live | null {
  const communityId = env.SONORAN_COMMUNITY_ID ?? '';
  const apiKey = env.SONORAN_API_KEY ?? '';
  if (apiKey === '') return null;
  return { communityId, apiKey, apiVersion: env.SONORAN_API_VERSION ?? '1', apiUrl: env.SONORAN_API_URL ?? 'https://api.sonorancad.com' };
}

export async function startWorld(opts: { live: Live | null; tty: boolean; accounts?: number }): Promise<World> {
  const print = (line: string) => process.stdout.write(`${fxColors(line, opts.tty)}\n`);
  const cad = opts.live ? null : await startFakeCad({ accounts: opts.accounts ?? 300, seed: 42, apiKey: 'sandbox-key-not-a-secret' });
  const convars: Record<string, string> = opts.live
    ? { sonoran_communityID: opts.live.communityId, sonoran_apiKey: opts.live.apiKey, sonoran_apiVersion: opts.live.apiVersion, sonoran_apiUrl: opts.live.apiUrl }
    : { sonoran_communityID: cad!.communityId, sonoran_apiKey: cad!.apiKey, sonoran_apiUrl: cad!.url };
  // The fake CAD limits like Sonoran (1 call/s with a burst of 5); the resource paces itself to match.
  const folder = resourceFolder({ refreshMinutes: 10, ace: { enabled: true }, stateBag: true, debug: false });
  const fx = createFxServer({ convars, echo: (line) => print(line) });
  fx.exec('add_ace resource.sonoran_accounts command.add_principal allow');
  fx.exec('add_ace resource.sonoran_accounts command.remove_principal allow');
  fx.exec('add_ace group.cad.police mdt.use allow');
  await fx.startResource({ name: 'sonoran_accounts', path: folder });
  return {
    fx,
    cad,
    print,
    async close() {
      await fx.close();
      await cad?.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

export async function waitReady(world: World, timeoutMs = 120_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const info = world.fx.callExport('sonoran_accounts', 'getCacheInfo') as { ready: boolean; refreshing: boolean; lastError: string | null };
    if (info.ready && !info.refreshing) return true;
    if (!info.refreshing && info.lastError) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}
