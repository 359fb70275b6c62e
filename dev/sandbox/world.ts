// The sandbox's world: the emulator running the built resource, against the embedded fake CAD or,
// with credentials in the environment, the live Sonoran API (read-only: the resource only reads).
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createFxServer, type FxServer } from '../emulator';
import { esxStandIn, oxStandIn, qboxStandIn, qbcoreStandIn, type FrameworkStandIn } from '../emulator/frameworks';
import { startFakeCad, type FakeCad } from '../fake-cad';
import { startFxNode, type FxNode } from '../fxnode/client';
import { startMariaDb, type MariaDb } from '../mariadb';
import { deepMerge, resourceFolder, ROOT } from '../resource-folder';
import { fxColors } from './colors';

export interface World {
  fx: FxServer;
  /** null when running against the live API. */
  cad: FakeCad | null;
  /** The API base URL the resource talks to (the fake CAD's, or the live one). */
  apiUrl: string;
  /** The roleplay framework stand-in (SANDBOX_FRAMEWORK: esx, the default, qbcore, qbox or ox) whose jobs follow CAD permissions. */
  framework: FrameworkStandIn;
  /** Names the sandbox connected players with, by server id (the emulator keeps only ids). */
  names: Map<number, string>;
  tty: boolean;
  print(line: string): void;
  /** Where printed text goes (the console swaps in a prompt-aware writer); gets one line, no newline. */
  setOutput(write: (text: string) => void): void;
  /**
   * Runs `fn` while holding back what resources print, then prints that after `fn`'s own lines: `connect`
   * learns its deferral messages only once the connection finished, and they happened first.
   */
  holdResourceOutput<T>(fn: () => Promise<T>): Promise<T>;
  /** SANDBOX_SERVERS=N: the other servers, the shared MariaDB and who sweeps; null with one server. */
  shared: SharedServers | null;
  close(): Promise<void>;
}

/** Servers 2..N run in child processes (server 1 is `fx`, the one the console drives). */
export interface SharedServers {
  count: number;
  /** Server n (2..N). */
  other(n: number): FxNode;
  /** What the sandbox did to each server (1..N): `running`, `stopped` (its resource) or `killed` (its process). */
  state: Map<number, 'running' | 'stopped' | 'killed'>;
  /** The server that last said it holds the sweep lease, while it runs; null when none said so yet. */
  holder(): number | null;
  db: MariaDb;
}

export interface Live {
  communityId: string;
  apiKey: string;
  apiVersion: string;
  apiUrl: string;
}

export const LIVE_DEFAULT_URL = 'https://api.sonorancad.com';

export function liveCredentials(env: NodeJS.ProcessEnv): Live | null {
  const communityId = env.SONORAN_COMMUNITY_ID ?? '';
  const apiKey = env.SONORAN_API_KEY ?? '';
  if (apiKey === '') return null;
  return { communityId, apiKey, apiVersion: env.SONORAN_API_VERSION ?? '1', apiUrl: env.SONORAN_API_URL || LIVE_DEFAULT_URL };
}

/** What the sandbox turns on so every feature shows, on top of the owner's settings. */
const SANDBOX_EXTRAS = { ace: { enabled: true }, stateBag: true, jobs: { enabled: true } };

const FRAMEWORKS: Record<string, () => FrameworkStandIn> = { esx: () => esxStandIn(), qbcore: qbcoreStandIn, qbox: qboxStandIn, ox: oxStandIn };
export const FRAMEWORK_NAMES: readonly string[] = Object.keys(FRAMEWORKS);

/**
 * Another resource that sets jobs through the framework's own API (a job centre, a boss menu): what the
 * sandbox's setjob verb calls, so the job change reaches this resource the way it would on a server.
 */
export const JOB_CENTRE = 'jobcentre';

/**
 * config.json for the sandbox: the file (the repo's, or SANDBOX_CONFIG) with the ACE bridge and state
 * bags on. A file that is not a JSON object goes in unchanged: the resource then says what is wrong,
 * exactly as it would on a server. Nothing else is overridden, so a bad value is not hidden.
 */
export function sandboxConfig(path: string): { text: string; note: string } {
  const text = readFileSync(path, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { text, note: `${path} is not valid JSON: the resource gets it as is` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { text, note: `${path} is not a JSON object: the resource gets it as is` };
  return { text: JSON.stringify(deepMerge(parsed as Record<string, unknown>, SANDBOX_EXTRAS), null, 2), note: `${path}, with ace.enabled, stateBag and jobs.enabled turned on to show them` };
}

export interface WorldOptions {
  live: Live | null;
  tty: boolean;
  accounts?: number;
  /** config.json to start with (default the repo's). */
  configPath?: string;
  /** SANDBOX_FRAMEWORK: the framework stand-in (esx, qbcore, qbox, ox; default esx). */
  framework?: string;
  /** Where lines go before a console takes over (default stdout). */
  write?: (text: string) => void;
  /**
   * More than 1 (SANDBOX_SERVERS=3 npm start): a private MariaDB and that many servers of one community
   * sharing it (database.enabled, short lease and poll so a hand-over shows at once); the console drives
   * the first, the others run in child processes and print as `[server N]`.
   */
  servers?: number;
}

export async function startWorld(opts: WorldOptions): Promise<World> {
  let write = opts.write ?? ((text: string) => void process.stdout.write(`${text}\n`));
  let held: string[] | null = null;
  const print = (line: string) => write(fxColors(line, opts.tty));
  const config = sandboxConfig(opts.configPath ?? join(ROOT, 'config.json'));
  const cad = opts.live ? null : await startFakeCad({ accounts: opts.accounts ?? 300, seed: 42, apiKey: 'sandbox-key-not-a-secret' });
  let folder: string | null = null;
  const shared = (opts.servers ?? 1) > 1;
  let db: MariaDb | null = null;
  const others: FxNode[] = [];
  try {
    const convars: Record<string, string> = opts.live
      ? { sonoran_communityID: opts.live.communityId, sonoran_apiKey: opts.live.apiKey, sonoran_apiVersion: opts.live.apiVersion, sonoran_apiUrl: opts.live.apiUrl }
      : { sonoran_communityID: cad!.communityId, sonoran_apiKey: cad!.apiKey, sonoran_apiUrl: cad!.url };
    print(`^2sandbox: config ${config.note}^7`);
    const sharing = { database: { enabled: true, leaseSeconds: 6, pollSeconds: 2 } };
    if (shared) {
      db = await startMariaDb();
      convars.mysql_connection_string = db.uri();
      print(`^2sandbox: ${opts.servers} servers of one community sharing a private MariaDB on 127.0.0.1:${db.port} (verbs: servers, on, stop, kill, db)^7`);
    }
    folder = resourceFolder(shared ? JSON.stringify(deepMerge(JSON.parse(config.text) as Record<string, unknown>, sharing)) : config.text);
    // Who sweeps, as each server says it: the verbs `servers` and `stop holder` and the demo use it.
    let holder: number | null = null;
    const track = (n: number, line: string) => {
      if (line.includes('this server now sweeps for the community')) holder = n;
      // It lost the lease to another server, or lost the database (the lease goes without a word then).
      else if (holder === n && /another server took the sweep lease|shared database (lost|unreachable)/.test(line)) holder = null;
    };
    const echoOf = (n: number) => (line: string) => {
      if (!shared) return held ? held.push(line) : print(line);
      track(n, line);
      const labelled = `^6[server ${n}]^7 ${line}`;
      if (held) held.push(labelled);
      else print(labelled);
    };
    // The fake CAD limits like Sonoran (1 call/s with a burst of 5); the resource paces itself to match.
    const fx = createFxServer({ convars, echo: echoOf(1) });
    fx.exec('add_ace resource.sonoran_accounts command.add_principal allow');
    fx.exec('add_ace resource.sonoran_accounts command.remove_principal allow');
    fx.exec('add_ace group.cad.police mdt.use allow');
    const framework = (FRAMEWORKS[opts.framework ?? 'esx'] ?? FRAMEWORKS.esx!)();
    await fx.startResource({ name: framework.resource, main: framework.main });
    await fx.startResource({ name: JOB_CENTRE, code: framework.hireResource });
    await fx.startResource({ name: 'sonoran_accounts', path: folder });
    for (let n = 2; shared && n <= opts.servers!; n++) {
      others.push(await startFxNode({ convars, config: sharing, echo: echoOf(n) }));
    }
    const owned = folder;
    const state = new Map<number, 'running' | 'stopped' | 'killed'>();
    for (let n = 1; shared && n <= opts.servers!; n++) state.set(n, 'running');
    const sharedServers: SharedServers | null = db
      ? {
          count: opts.servers!,
          other: (n) => others[n - 2]!,
          state,
          holder: () => (holder !== null && state.get(holder) === 'running' ? holder : null),
          db,
        }
      : null;
    return {
      fx,
      cad,
      framework,
      apiUrl: opts.live ? opts.live.apiUrl : cad!.url,
      names: new Map(),
      tty: opts.tty,
      print,
      setOutput(next) {
        write = next;
      },
      async holdResourceOutput(fn) {
        held = [];
        try {
          return await fn();
        } finally {
          const lines = held;
          held = null;
          lines.forEach(print);
        }
      },
      shared: sharedServers,
      async close() {
        await Promise.all(others.map((o) => o.close()));
        await fx.close();
        await cad?.close();
        await db?.destroy();
        rmSync(owned, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await Promise.all(others.map((o) => o.kill()));
    await db?.destroy();
    await cad?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
    throw err;
  }
}

interface CacheState {
  ready: boolean;
  refreshing: boolean;
  lastError: string | null;
}

/**
 * Waits for the first usable cache and says what it waits for: a CAD that never answers otherwise
 * leaves the console silent for a minute (each call's timeout times the retries).
 */
export async function waitReady(world: World, timeoutMs = 120_000, everyMs = 10_000): Promise<boolean> {
  const started = Date.now();
  const state = () => world.fx.callExport('sonoran_accounts', 'getCacheInfo') as CacheState;
  if (!state().ready && !world.cad) world.print(`^3sandbox: waiting for the first sweep from ${world.apiUrl}…^7`);
  let nextNote = started + everyMs;
  while (Date.now() - started < timeoutMs) {
    const info = state();
    if (info.ready && !info.refreshing) return true;
    if (!info.refreshing && info.lastError) {
      world.print(`^1sandbox: no accounts from ${world.apiUrl}: ${info.lastError}^7`);
      return false;
    }
    if (Date.now() >= nextNote) {
      world.print(`^3sandbox: still waiting for ${world.apiUrl} (${Math.round((Date.now() - started) / 1000)} s)…^7`);
      nextNote += everyMs;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  world.print(`^1sandbox: ${world.apiUrl} gave no usable answer within ${timeoutMs / 1000} s^7`);
  return false;
}
