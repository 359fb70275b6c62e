// Wires the core to FXServer through an FxHost. Exports are registered synchronously, before anything
// can fail, so other resources never see "No such export". A broken config.json never leaves the
// resource inert: the last good configuration (or the defaults) runs, the snapshot gates (config-source.ts).
import { CONVARS, type Config } from '../core/config';
import { chooseConfig, rememberConfig } from '../core/config-source';
import { createAccountCache } from '../core/account-cache';
import { countRateLimits, statusReport } from '../core/status';
import { createNodeTransport } from '../core/http/node-transport';
import { CONNECTION_CONVAR } from '../core/shared/connection-string';
import { connectionSecrets, openSharing } from '../core/shared/open';
import type { Sharing } from '../core/shared/sharing';
import type { AccountCache, Clock, FileStore, HttpTransport } from '../core/types';
import { bridgeAces } from './ace-bridge';
import { enforceBans } from './ban-enforcer';
import { serverClock } from './clock';
import { registerCommands } from './commands';
import { gateConnections } from './connect';
import type { Context } from './context';
import { emitPublicEvents } from './events';
import { registerExports } from './exports';
import type { FxHost } from './host';
import { identifierOrder } from './identifiers';
import { logSweepFailures } from './failure-log';
import { followUpMisses } from './follow-ups';
import { enforceJobs } from './jobs/enforce';
import { lateCache } from './late-cache';
import { createTranslator } from './locale';
import { createLogger } from './log';
import { createPlayerLookup } from './player-lookup';
import { trackPlayers } from './player-tracking';
import { createPlayerRegistry, type PlayerRegistry } from './players';
import { createResourceFiles } from './resource-files';
import { KEY_SENTINEL, keyState, listenForLinks, PERMISSION_LINE, SONORANCAD } from './sonorancad';
import { publishStateBags } from './state-bag';
import { MIN_TOKEN_LENGTH, serveStatus, STATUS_TOKEN_CONVAR } from './status-http';
import { sweepProgressLogger } from './sweep-progress';
import { statusBlock } from './status-block';
import { summaryLine } from './views';

/** What the resource talks to besides FXServer; tests pass an in-memory CAD, files and a manual clock. */
export interface World {
  transport: HttpTransport;
  files: FileStore;
  clock: Clock;
}

export function startResource(host: FxHost, world?: World): void {
  const files = world?.files ?? createResourceFiles(host.resourcePath);
  const clock = world?.clock ?? serverClock;
  const choose = (getConvar: (name: string) => string | undefined) =>
    chooseConfig({ text: host.loadResourceFile('config.json'), getConvar, files });
  const sonorancad = () => keyState(host.getConvar, host.resourceState(SONORANCAD));
  const first = choose(host.getConvar);
  // Read once for this start; it is read again when sonorancad starts. The key is sonorancad's to set and
  // it has not started yet (an unreadable convar only counts when config.json has no key of its own).
  const keyAtStart = sonorancad();
  const waiting = host.resourceState(SONORANCAD) !== 'started' && (keyAtStart === 'sentinel' || (keyAtStart === 'unreadable' && first.config.apiKey === ''));
  // Waiting for sonorancad to set the key: validate the rest now, the key once it has started.
  const choice = waiting ? choose((name) => (name === CONVARS.apiKey ? KEY_SENTINEL : host.getConvar(name))) : first;
  const config = choice.config;
  const log = createLogger(host.print, config.debug, waiting ? [] : [config.apiKey]);
  for (const problem of choice.errors) log.error(problem);
  for (const warning of choice.warnings) log.warn(warning);
  const stuckOnSentinel = !waiting && keyAtStart === 'sentinel';
  const syncDisabled = stuckOnSentinel
    ? `not syncing CAD accounts: ${CONVARS.apiKey} reads "${KEY_SENTINEL}" (not a key) although ${SONORANCAD} has started`
    : choice.syncDisabled;
  if (syncDisabled !== undefined) {
    log.error(`${syncDisabled}; the snapshot (if any) still gates connections`);
    // Literal names in the console lines: the owner README's troubleshooting table quotes them.
    if (keyAtStart === 'unreadable') log.error(`sonorancad is installed but sonoran_apiKey reads empty here: it is protected; add "${PERMISSION_LINE}" to server.cfg`);
  }
  if (choice.remember !== undefined) {
    rememberConfig(files, choice.remember).catch((err: Error) => log.warn(`could not keep a copy of the configuration: ${err.message}`));
  }

  const transport = countRateLimits(world?.transport ?? createNodeTransport());
  let sharingNow: Sharing | null = null;
  const players = createPlayerRegistry();
  const createCache = (cfg: Config, disabled?: string): AccountCache => {
    // Several servers of one community: one sweep and one rate budget through their shared database.
    const connectionString = cfg.database.enabled && disabled === undefined ? host.getConvar(CONNECTION_CONVAR) : undefined;
    for (const secret of connectionSecrets(connectionString)) log.addSecret(secret);
    const sharing = disabled === undefined ? openSharing(cfg, connectionString, clock, log) : null;
    if (sharing) sharingNow = sharing;
    const cache = createAccountCache({
      config: cfg,
      syncDisabled: disabled,
      transport,
      clock,
      files,
      log,
      onProgress: sweepProgressLogger(log.info, clock.now),
      online: () => onlineIdentifiers(players),
      ...sharing?.cacheDeps,
    });
    return sharing ? withSharing(cache, sharing) : cache;
  };
  const late = waiting ? lateCache(createCache(config, `waiting for ${SONORANCAD} to start and set ${CONVARS.apiKey}`)) : null;
  const cache = late ?? createCache(config, syncDisabled);
  const ctx = createContext(host, config, cache, log, clock, players);
  const lookup = createPlayerLookup(ctx);

  trackPlayers(ctx); // first: every later listener sees players already re-resolved
  emitPublicEvents(ctx);
  const ace = bridgeAces(ctx);
  publishStateBags(ctx);
  const jobs = enforceJobs(ctx); // before the ban enforcer: a banned officer loses the job before the drop
  enforceBans(ctx);
  registerExports(ctx, (id) => lookup.thorough(ctx.players.get(id)!, config.connect.timeoutSeconds * 1000));
  const misses = followUpMisses(ctx, lookup);
  gateConnections(ctx, lookup, misses);
  jobs?.attach(misses); // after the gate: its playerConnecting handler has registered the player
  listenForLinks(ctx, async (entry, apiId) => {
    const found = await cache.lookup(apiId, config.connect.timeoutSeconds * 1000, { fresh: true });
    if (found && ctx.players.get(entry.id) === entry) ctx.players.assign(entry, ctx.resolve(entry) ?? found);
  });
  registerCommands(ctx, (entry) => lookup.thorough(entry, config.connect.timeoutSeconds * 1000));
  logCacheEvents(ctx);
  const version = host.resourceVersion();
  serveStatus(host, () => statusReport({ resource: host.resourceName, version, info: cache.info(), rateLimited: transport.rateLimited(), shared: sharingNow?.status() ?? null, now: clock.now(), redact: log.redact }), log.warn, (token) => log.redact(token) !== token);

  host.on('onResourceStop', (_src, name: string) => {
    if (name === host.resourceName) cache.stop();
  });
  cache.start();
  const status = statusBlock({
    version: version || 'unknown',
    config,
    origin: choice.origin,
    sonorancad: host.resourceState(SONORANCAD) === 'started',
    waiting,
    syncDisabled: waiting ? undefined : syncDisabled,
    ace,
    statusEndpoints: usableToken(host.getConvar(STATUS_TOKEN_CONVAR) ?? '', log.redact),
    info: cache.info(),
    now: clock.now(),
  });
  for (const line of status) log.info(line);
  if (!late) return;
  log.warn(`sonoran_apiKey is not set yet (${keyAtStart === 'sentinel' ? `it reads "${KEY_SENTINEL}"` : 'it reads empty'}): waiting for sonorancad to start and set it; put "ensure ${host.resourceName}" below "exec sonorancad.cfg" (which ensures sonorancad) in server.cfg`);
  let attached = false;
  host.on('onServerResourceStart', (_src, name: string) => {
    if (name !== SONORANCAD || attached) return;
    const reloaded = choose(host.getConvar);
    if (reloaded.config.apiKey === KEY_SENTINEL || reloaded.syncDisabled !== undefined) {
      const state = sonorancad();
      const why =
        state === 'sentinel' ? `${CONVARS.apiKey} still reads "${KEY_SENTINEL}"`
        : state === 'unreadable' ? `${CONVARS.apiKey} cannot be read here: add "${PERMISSION_LINE}" to server.cfg`
        : reloaded.syncDisabled ?? '';
      log.error(`${SONORANCAD} started, but ${why}; not syncing until this is fixed and the resource restarts`);
      return;
    }
    attached = true;
    log.addSecret(reloaded.config.apiKey);
    log.info(`${SONORANCAD} started and set ${CONVARS.apiKey}: syncing now`);
    late.attach(createCache(reloaded.config));
  });
}

/** The cache driven by `sharing`'s poll loop, and its stop also hands the lease back and closes the pool. */
/** As serveStatus decides per request: long enough, and no secret in it. */
function usableToken(token: string, redact: (text: string) => string): boolean {
  return token.length >= MIN_TOKEN_LENGTH && redact(token) === token;
}

function withSharing(cache: ReturnType<typeof createAccountCache>, sharing: Sharing): AccountCache {
  sharing.attach(cache);
  return {
    ...cache,
    stop() {
      cache.stop();
      sharing.stop().catch(() => {});
    },
  };
}

/** The identifiers of every player in the game (past connecting): their accounts are refreshed first. */
function* onlineIdentifiers(players: PlayerRegistry): Iterable<readonly string[]> {
  for (const entry of players.all()) if (entry.joined) yield entry.identifiers;
}

function createContext(host: FxHost, config: Config, cache: AccountCache, log: Context['log'], clock: Clock, players: PlayerRegistry): Context {
  return {
    host,
    config,
    cache,
    log,
    clock,
    players,
    t: createTranslator(config.locale, host.loadResourceFile, log.warn),
    identifierTypes: identifierOrder(config.identifiers, config.primaryIdentifier),
    resolve: (entry) => cache.standing(entry.identifiers).account,
  };
}

function logCacheEvents(ctx: Context): void {
  ctx.cache.on('refreshed', (summary) => ctx.log.info(`synced ${summaryLine(summary)}`));
  logSweepFailures(ctx);
}
