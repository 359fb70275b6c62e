// Wires the core to FXServer through an FxHost. Exports are registered synchronously, before anything
// can fail, so other resources never see "No such export" — with a bad config they answer false/null.
import { configSchema, DEFAULTS, loadConfig, type Config } from '../core/config';
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
import { createTranslator } from './locale';
import { createLogger } from './log';
import { createPlayerLookup } from './player-lookup';
import { trackPlayers } from './player-tracking';
import { createPlayerRegistry } from './players';
import { createResourceFiles } from './resource-files';
import { publishStateBags } from './state-bag';
import { sweepProgressLogger } from './sweep-progress';
import { summaryLine } from './views';

export function startResource(host: FxHost): void {
  const loaded = loadConfig({ text: host.loadResourceFile('config.json'), getConvar: host.getConvar });
  if (!loaded.ok) {
    const log = createLogger(host.print, false, []);
    for (const problem of loaded.errors) log.error(problem);
    log.error('not syncing CAD accounts until the configuration is fixed; exports answer "no account" meanwhile');
    const ctx = createContext(host, configSchema.parse(DEFAULTS), inertCache(loaded.errors.join('; ')), log);
    registerExports(ctx, async () => null);
    registerCommands(ctx);
    return;
  }
  const config = loaded.config;
  const log = createLogger(host.print, config.debug, [config.apiKey]);
  for (const warning of loaded.warnings) log.warn(warning);

  const cache = createAccountCache({
    config,
    transport: createNodeTransport(),
    clock: serverClock,
    files: createResourceFiles(host.resourcePath),
    log,
    onProgress: sweepProgressLogger(log.info, serverClock.now),
  });
  const ctx = createContext(host, config, cache, log);
  const lookup = createPlayerLookup(ctx);

  trackPlayers(ctx); // first: every later listener sees players already re-resolved
  emitPublicEvents(ctx);
  bridgeAces(ctx);
  publishStateBags(ctx);
  dropNewlyBannedPlayers(ctx);
  registerExports(ctx, (id) => lookup.thorough(ctx.players.get(id)!, config.connect.timeoutSeconds * 1000));
  gateConnections(ctx, lookup);
  registerCommands(ctx);
  logCacheEvents(ctx);

  host.on('onResourceStop', (_src, name: string) => {
    if (name === host.resourceName) cache.stop();
  });
  cache.start();
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
