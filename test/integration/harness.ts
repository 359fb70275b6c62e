// Loads the BUILT resource (dist/server.js, as `npm test` builds it first) into the FXServer emulator,
// from a temp copy of the release layout, against a fake CAD on 127.0.0.1.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { clientDownloads, createFxServer } from '../../dev/emulator';
import { resourceFolder } from '../../dev/resource-folder';
import { startFakeCad } from '../../dev/fake-cad';

export const API_KEY = 'TEST-KEY-0c9f7e51-do-not-leak';
export const COMMUNITY_ID = 'test-community';

export type FakeCad = Awaited<ReturnType<typeof startFakeCad>>;
export type FxServer = ReturnType<typeof createFxServer>;

export interface HarnessOptions {
  /** Passed to the fake CAD (accounts, seed, rateLimit...). */
  cad?: Parameters<typeof startFakeCad>[0];
  /** Use this running fake CAD instead (a restart against the same CAD); close() leaves it running. */
  existingCad?: FakeCad;
  /** Merged over the shipped config.json. */
  config?: Record<string, unknown>;
  convars?: Record<string, string>;
  /** server.cfg lines run before the resource starts. */
  exec?: string[];
  /** Replace config.json with this raw text (broken JSON, wrong types...). */
  configText?: string;
  /** Write this text as the snapshot file before start. */
  snapshot?: string;
  /** More files to write into the resource folder before start (path inside it -> text). */
  files?: Record<string, string>;
  /** Runs after the fake CAD is up and before the resource starts (to set faults, add accounts). */
  beforeStart?: (cad: FakeCad) => void;
  /** Runs in the emulator before sonoran_accounts starts (resources that start first, like a framework). */
  beforeResource?: (fx: FxServer) => Promise<void>;
  /** Wait for the first sweep before returning (default true). */
  waitReady?: boolean;
}

export interface Harness {
  fx: FxServer;
  cad: FakeCad;
  folder: string;
  /** Checks what was recorded so far for the key, then forgets it (long tests measure the heap). */
  clearRecords(): void;
  close(): Promise<void>;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const cad = opts.existingCad ?? (await startFakeCad({ apiKey: API_KEY, communityId: COMMUNITY_ID, rateLimit: false, ...opts.cad }));
  opts.beforeStart?.(cad);
  const folder = resourceFolder({
    refreshMinutes: 60,
    // The fake CAD's limiter is off unless a test turns it on; pace fast so suites stay quick.
    rateLimit: { v1PerSecond: 200, v2PerMinute: 12_000 },
    ...opts.config,
  });
  if (opts.configText !== undefined) writeFileSync(join(folder, 'config.json'), opts.configText);
  if (opts.snapshot !== undefined) {
    mkdirSync(join(folder, 'cache'), { recursive: true });
    writeFileSync(join(folder, 'cache/snapshot.json'), opts.snapshot);
  }
  for (const [file, text] of Object.entries(opts.files ?? {})) {
    mkdirSync(dirname(join(folder, file)), { recursive: true });
    writeFileSync(join(folder, file), text);
  }
  const fx = createFxServer({
    convars: {
      sonoran_communityID: COMMUNITY_ID,
      sonoran_apiKey: API_KEY,
      sonoran_apiUrl: cad.url,
      ...opts.convars,
    },
  });
  for (const line of opts.exec ?? []) fx.exec(line);
  await fx.startResource({ name: 'event_spy', code: EVENT_SPY });
  const exportResults = recordExportResults(fx);
  await opts.beforeResource?.(fx);
  await fx.startResource({ name: 'sonoran_accounts', path: folder });
  if (opts.waitReady !== false) await waitFor(() => fx.callExport('sonoran_accounts', 'isReady') === true, 'cache ready');
  const leaks = new Set<string>();
  const scanForKey = () => {
    const places = {
      console: fx.consoleLines,
      chat: fx.allChat(),
      netEvents: fx.netEvents,
      stateBags: fx.players().map((id) => fx.stateOf(id)),
      events: fx.callExport('event_spy', 'seen'),
      exportResults,
      snapshot: readIfExists(join(folder, 'cache/snapshot.json')),
      clientDownloads: clientDownloads(folder).map((file) => readIfExists(join(folder, file))),
    };
    for (const place of whereSecretShows(API_KEY, places)) leaks.add(place);
  };
  return {
    fx,
    cad,
    folder,
    clearRecords() {
      scanForKey();
      fx.consoleLines.splice(0);
      fx.netEvents.splice(0);
      fx.droppedBy.splice(0);
      exportResults.splice(0);
      fx.callExport('event_spy', 'clear');
      cad.resetRequests();
    },
    async close() {
      scanForKey();
      await fx.close();
      if (!opts.existingCad) await cad.close();
      // A snapshot write the stopped resource had in flight (FXServer does not wait for it either) can
      // recreate its folder while this one is removed (ENOTEMPTY): retried for up to 5 s under load.
      for (let attempt = 0; ; attempt++) {
        try {
          rmSync(folder, { recursive: true, force: true });
          break;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOTEMPTY' || attempt >= 50) throw err;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      // Every integration scenario doubles as a check that nothing in the resource rejects unhandled
      // and that the API key reached none of what a player, another resource or a log could see.
      if (fx.unhandledRejections.length > 0) throw new Error(`unhandled rejections in the resource:\n${fx.unhandledRejections.join('\n')}`);
      if (leaks.size > 0) throw new Error(`the API key leaked into: ${[...leaks].join(', ')}`);
    },
  };
}

/** Records every sonoran_accounts event payload as another resource receives it. */
const EVENT_SPY = `
const seen = [];
for (const name of ['ready', 'refreshed', 'refreshFailed', 'playerLinked', 'playerUpdated']) {
  on('sonoran_accounts:' + name, (...args) => seen.push({ name, args }));
}
exports('seen', () => seen);
exports('clear', () => void seen.splice(0));`;

/** Keeps what every export call from the harness returned (awaited when it is a promise). */
function recordExportResults(fx: FxServer): unknown[] {
  const results: unknown[] = [];
  const call = fx.callExport;
  fx.callExport = (resource, name, ...args) => {
    const out = call(resource, name, ...args);
    if (resource === 'sonoran_accounts') {
      if (out instanceof Promise || (typeof out === 'object' && out !== null && 'then' in out)) (out as Promise<unknown>).then((v) => results.push(v), () => {});
      else results.push(out);
    }
    return out;
  };
  return results;
}

/** The names of the places whose JSON contains the secret. */
export function whereSecretShows(secret: string, places: Record<string, unknown>): string[] {
  return Object.entries(places)
    .filter(([, value]) => (typeof value === 'string' ? value : JSON.stringify(value) ?? '').includes(secret))
    .map(([name]) => name);
}

const readIfExists = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');

export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
