// Wires the core to FXServer through an FxHost. Exports are registered synchronously, before anything
// can fail, so other resources never see "No such export" — with a bad config they answer false/null.
import { configSchema, CONVARS, DEFAULTS, loadConfig, type Config } from '../core/config';
import { createAccountCache } from '../core/account-cache';
import { createNodeTransport } from '../core/http/node-transport';
import { CadFailure } from '../core/api/errors';
import type { AccountCache } from '../core/types';
import { bridgeAces } from './ace-bridge';
import { dropNewlyBannedPlayers } from './ban-enforcer';
import { serverClock } from './clock';
import { registerCommands } from './commands';
import { gateConnections } from './connect';
import type { Context } from './context';
import { emitPublicEvents } from './events';
import { registerExports } from './exports';
import type { FxHost } from './host';
import { identifierOrder } from './identifiers';
import { followUpMisses } from './follow-ups';
import { lateCache } from './late-cache';
import { createTranslator } from './locale';
import { createLogger } from './log';
import { createPlayerLookup } from './player-lookup';
import { trackPlayers } from './player-tracking';
import { createPlayerRegistry } from './players';
import { createResourceFiles } from './resource-files';
import { KEY_SENTINEL, keyState, listenForLinks, PERMISSION_LINE, SONORANCAD } from './sonorancad';
import { publishStateBags } from './state-bag';
import { sweepProgressLogger } from './sweep-progress';
import { summaryLine } from './views';

export function startResource(host: FxHost): void {
  const readConfig = () => loadConfig({ text: host.loadResourceFile('config.json'), getConvar: host.getConvar });
  const sonorancad = () => keyState(host.getConvar, host.resourceState(SONORANCAD));
  const first = readConfig();
  // The key is sonorancad's to set and it has not started yet (an unreadable convar only counts when
  // config.json has no key of its own).
  const waiting = host.resourceState(SONORANCAD) !== 'started' && (sonorancad() === 'sentinel' || (sonorancad() === 'unreadable' && !first.ok));
  // Waiting for sonorancad to set the key: validate the rest now, the key once it has started.
  const loaded = waiting
    ? loadConfig({ text: host.loadResourceFile('config.json'), getConvar: (name) => (name === CONVARS.apiKey ? KEY_SENTINEL : host.getConvar(name)) })
    : first;
  const stuckOnSentinel = !waiting && sonorancad() === 'sentinel';
  if (!loaded.ok || stuckOnSentinel) {
    const errors = loaded.ok ? [`${CONVARS.apiKey} reads "${KEY_SENTINEL}" (not a key) although ${SONORANCAD} has started`] : loaded.errors;
    const log = createLogger(host.print, false, []);
    for (const problem of errors) log.error(problem);
    // Literal names in the console lines: the owner README's troubleshooting table quotes them.
    if (sonorancad() === 'unreadable') log.error(`sonorancad is installed but sonoran_apiKey reads empty here: it is protected; add "${PERMISSION_LINE}" to server.cfg`);
    log.error('not syncing CAD accounts until the configuration is fixed; exports answer "no account" meanwhile');
    const ctx = createContext(host, configSchema.parse(DEFAULTS), inertCache(errors.join('; ')), log);
    registerExports(ctx, async () => null);
    registerCommands(ctx);
    return;
  }
  const config = loaded.config;
  const log = createLogger(host.print, config.debug, waiting ? [] : [config.apiKey]);
  for (const warning of loaded.warnings) log.warn(warning);

  const late = waiting ? lateCache(`waiting for ${SONORANCAD} to start and set ${CONVARS.apiKey}`) : null;
  const cache = late ?? createCache(host, config, log);
  const ctx = createContext(host, config, cache, log);
  const lookup = createPlayerLookup(ctx);

  trackPlayers(ctx); // first: every later listener sees players already re-resolved
  emitPublicEvents(ctx);
  bridgeAces(ctx);
  publishStateBags(ctx);
  dropNewlyBannedPlayers(ctx);
  registerExports(ctx, (id) => lookup.thorough(ctx.players.get(id)!, config.connect.timeoutSeconds * 1000));
  const misses = followUpMisses(ctx, lookup);
  gateConnections(ctx, lookup, misses);
  listenForLinks(ctx, async (entry, apiId) => {
    const found = await cache.lookup(apiId, config.connect.timeoutSeconds * 1000, { fresh: true });
    if (found && ctx.players.get(entry.id) === entry) ctx.players.assign(entry, ctx.resolve(entry) ?? found);
  });
  registerCommands(ctx);
  logCacheEvents(ctx);

  host.on('onResourceStop', (_src, name: string) => {
    if (name === host.resourceName) cache.stop();
  });
  if (!late) {
    cache.start();
    return;
  }
  log.warn(`sonoran_apiKey is not set yet (${sonorancad() === 'sentinel' ? `it reads "${KEY_SENTINEL}"` : 'it reads empty'}): waiting for sonorancad to start and set it; put "ensure sonorancad" before "ensure ${host.resourceName}" in server.cfg`);
  let attached = false;
  host.on('onServerResourceStart', (_src, name: string) => {
    if (name !== SONORANCAD || attached) return;
    const reloaded = readConfig();
    if (!reloaded.ok || reloaded.config.apiKey === KEY_SENTINEL) {
      const state = sonorancad();
      const why =
        state === 'sentinel' ? `${CONVARS.apiKey} still reads "${KEY_SENTINEL}"`
        : state === 'unreadable' ? `${CONVARS.apiKey} cannot be read here: add "${PERMISSION_LINE}" to server.cfg`
        : reloaded.ok ? '' : reloaded.errors.join('; ');
      log.error(`${SONORANCAD} started, but ${why}; not syncing until this is fixed and the resource restarts`);
      return;
    }
    attached = true;
    log.addSecret(reloaded.config.apiKey);
    log.info(`${SONORANCAD} started and set ${CONVARS.apiKey}: syncing now`);
    late.attach(createCache(host, reloaded.config, log));
  });
}

function createCache(host: FxHost, config: Config, log: Context['log']) {
  return createAccountCache({
    config,
    transport: createNodeTransport(),
    clock: serverClock,
    files: createResourceFiles(host.resourcePath),
    log,
    onProgress: sweepProgressLogger(log.info, serverClock.now),
  });
}

function createContext(host: FxHost, config: Config, cache: AccountCache, log: Context['log']): Context {
  return {
    host,
    config,
    cache,
    log,
    players: createPlayerRegistry(),
    t: createTranslator(config.locale, host.loadResourceFile, log.warn),
    identifierTypes: identifierOrder(config.identifiers, config.primaryIdentifier),
    resolve: (entry) => cache.findByIdentifiers(entry.identifiers) ?? null,
  };
}

function logCacheEvents({ cache, log }: Context): void {
  cache.on('refreshed', (summary) => log.info(`synced ${summaryLine(summary)}`));
  cache.on('refreshFailed', (message) => log.error(message));
}

/** The cache a resource with a broken config answers from: empty, never ready, saying why. */
function inertCache(reason: string): AccountCache {
  const failure = () => Promise.reject(new CadFailure('fatal', `configuration invalid: ${reason}`));
  return {
    start() {},
    stop() {},
    refresh: failure,
    lookup: failure,
    find: () => undefined,
    findByIdentifiers: () => undefined,
    info: () => ({ ready: false, source: 'empty', accounts: 0, lastRefreshAt: null, lastError: `configuration invalid: ${reason}`, refreshing: false, nextRefreshAt: null }),
    on() {},
  };
}
