// An FXServer JavaScript runtime emulator: resources evaluated in global scope of their own vm context,
// with the rules of FXServer's own bootstrap (citizenfx/fivem data/shared/citizen/scripting/v8/main.js,
// timer.js, msgpack.js) and of the server around it (ClientDeferral.cpp, GameServer.cpp, REGISTER_COMMAND).
// docs/architecture.md lists each rule and where it comes from.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import * as vm from 'node:vm';
import { createAcl } from './ace';
import { createDeferral, type Outcome } from './deferrals';
import { createExports, exportEventName } from './exports-proxy';
import { createHttpEndpoints } from './http-handler';
import { sandboxedFs } from './fs-sandbox';
import { manifestMetadata, serverScripts } from './manifest';
import { declaredNatives } from './natives-list';
import { createRefs } from './refs';
import { createTimers } from './timers';

export interface FxServerOptions {
  convars?: Record<string, string>;
  /** Also print resource console lines to this process's stdout. */
  echo?: boolean | ((line: string) => void);
  /**
   * Milliseconds between server ticks, in which every resource's timers and setTick callbacks run.
   * FXServer's svMain ticks every 50 ms (GameServer.cpp); the default is shorter to keep tests quick.
   */
  tickMs?: number;
}

export interface ConnectResult {
  accepted: boolean;
  reason?: string;
  tempId: number;
  /** Permanent id after playerJoining; null when rejected. */
  id: number | null;
  /** deferrals.update texts, in order. */
  updates: string[];
  cards: unknown[];
  /** One-tick rule breaches: FXServer would show "unknown client" instead of the reason. */
  violations: string[];
  timedOut: boolean;
  /**
   * Every deferral call in order: which resource made it, in which server tick, when (`process.hrtime`
   * in ms) and when a microtask queued at the call ran. Resources cannot see each other's deferral calls
   * (each gets its own references), so timing probes read them here.
   */
  deferralCalls: { call: string; resource: string; tick: number; at: number; syncEndedAt: number }[];
}

type Listener = (...args: any[]) => unknown;
type Callable = (...args: unknown[]) => unknown;

interface Player {
  id: number;
  name: string;
  identifiers: string[];
  joined: boolean;
  state: Map<string, { value: unknown; replicated: boolean }>;
}

interface Resource {
  name: string;
  path: string | null;
  context: vm.Context;
  /** The realm's own Promise: async functions in the resource return these. */
  Promise: PromiseConstructor;
  listeners: Map<string, Listener[]>;
  /** main.js netSafeEventNames: per runtime, per event name. */
  netSafe: Set<string>;
  timers: ReturnType<typeof createTimers>;
  commands: string[];
  started: boolean;
}

interface Command {
  resource: string;
  /** The handler as a function reference, called the way REGISTER_COMMAND's CallReference calls it. */
  call: Callable;
  restricted: boolean;
}

const TEMP_ID_BASE = 65536;
const DEFAULT_TICK_MS = 5;
/** The name the harness calls and emits as, like another resource. */
const HARNESS = 'harness';
/** ClientDropReasons.h */
const DROP_RESOURCE = 1;
const DROP_CLIENT = 2;
const CLIENT_DROP_RESOURCE_NAME = '__cfx_internal:client';
const NATIVE_ERROR = (name: string) => new Error(`FXServer emulator: native ${name} is not implemented`);

export function createFxServer(options: FxServerOptions = {}) {
  const convars = new Map(Object.entries(options.convars ?? {}));
  /** `add_convar_permission <resource> read <convar>`: such a convar reads as the default elsewhere, as in FXServer. */
  const convarReaders = new Map<string, Set<string>>();
  const readConvar = (resource: string, k: string) => {
    const readers = convarReaders.get(k);
    return readers && !readers.has(resource) ? undefined : convars.get(k);
  };
  const acl = createAcl();
  const resources = new Map<string, Resource>();
  const commands = new Map<string, Command>();
  const players = new Map<number, Player>();
  const consoleLines: string[] = [];
  const netEvents: { name: string; target: number; args: unknown[] }[] = [];
  const chat = new Map<number, unknown[]>();
  const droppedBy: { id: number; reason: string }[] = [];
  const deniedCommands: { source: number; command: string }[] = [];
  const unhandledRejections: string[] = [];
  const serializationWarnings: string[] = [];
  const harnessExports = new Map<string, Map<string, Callable>>();
  /** Told when a server tick begins (deferral bookkeeping listens). */
  const tickWatchers = new Set<() => void>();
  const tickWaiters: (() => void)[] = [];
  let nextTempId = TEMP_ID_BASE;
  let nextId = 1;
  let invokingResource: string | null = null;
  let cancelledEvent = false;
  const hostRequire = createRequire(import.meta.url);
  const startedAt = performance.now();
  const gameTime = () => Math.floor(performance.now() - startedAt);

  const print = (resource: string, text: string) => {
    const line = `[${resource}] ${text}`;
    consoleLines.push(line);
    if (typeof options.echo === 'function') options.echo(line);
    else if (options.echo) process.stdout.write(`${line}\n`);
  };

  const describe = (err: unknown) => (err instanceof Error ? err.stack ?? String(err) : String(err));

  /** main.js printError: `SCRIPT ERROR in <where>: <e.toString()>`; recorded so tests fail on it. */
  const scriptError = (resource: string, where: string, err: unknown) => {
    unhandledRejections.push(`[${resource}] SCRIPT ERROR in ${where}: ${describe(err)}`);
    print(resource, `^1SCRIPT ERROR in ${where}: ${String(err)}^7`);
  };

  // Promises a resource leaves unhandled reach the host process; FXServer logs them, so do we.
  const onUnhandled = (reason: unknown) => scriptError('runtime', 'promise (unhandled rejection)', reason);
  process.on('unhandledRejection', onUnhandled);

  const isRunning = (name: string) => name === HARNESS || resources.get(name)?.started === true;

  const refs = createRefs({
    isRunning,
    promiseOf: (name) => (name && resources.get(name)?.Promise) || Promise,
    scriptError,
    print,
    setInvoking(name) {
      const previous = invokingResource;
      invokingResource = name;
      return previous;
    },
    invoking: () => invokingResource,
    warn: (text) => void serializationWarnings.push(text),
  });

  const http = createHttpEndpoints({ resourceNames: () => [...resources.values()].filter((r) => r.started).map((r) => r.name), onMainThread: (fn) => void nextTick().then(fn) });

  // ---- ticks ----------------------------------------------------------------------------------

  let tickCount = 0;
  const loop = setInterval(runTick, options.tickMs ?? DEFAULT_TICK_MS);
  loop.unref();

  function runTick() {
    tickCount++;
    for (const watcher of tickWatchers) watcher();
    const now = gameTime();
    for (const res of [...resources.values()]) if (res.started) res.timers.onTick(now);
    const waiters = tickWaiters.splice(0);
    // After the tick's own promise jobs, like the next thing the server does.
    if (waiters.length > 0) setImmediate(() => waiters.forEach((w) => w()));
    keepTicking();
  }

  /** Hold the process open only while something waits for a tick. */
  function keepTicking() {
    const busy = tickWaiters.length > 0 || [...resources.values()].some((r) => r.started && r.timers.count() > 0);
    if (busy) loop.ref();
    else loop.unref();
  }

  /** Resolves after the next server tick ran (and its promise jobs settled). */
  function nextTick(): Promise<void> {
    return new Promise((r) => {
      tickWaiters.push(r);
      loop.ref();
    });
  }

  // ---- events: Citizen.setEventFunction ---------------------------------------------------------

  /**
   * Delivers a packed event to every resource listening, in start order. `source` is FXServer's source
   * string: '' (server), `net:<id>` (a client), `internal-net:<id>` (the server about a player).
   */
  function dispatch(name: string, payload: Uint8Array, source: string) {
    for (const res of [...resources.values()]) {
      const registered = res.listeners.get(name);
      if (!res.started || registered === undefined) continue;
      const context = res.context;
      context.source = source;
      if (source.startsWith('net')) {
        if (registered.length > 0 && !res.netSafe.has(name)) {
          print(res.name, `Event ${name} was not safe for net`);
          context.source = null;
          continue;
        }
        context.source = Number.parseInt(source.slice(4), 10);
      } else if (source.startsWith('internal-net')) {
        context.source = Number.parseInt(source.slice(13), 10);
      }
      const listeners = [...registered];
      if (listeners.length === 0) {
        context.source = null;
        continue;
      }
      // One unpack per runtime: its handlers share the same argument objects.
      const args = (refs.unpack(payload, res.name) ?? []) as unknown[];
      if (!Array.isArray(args)) {
        context.source = null;
        continue;
      }
      for (const listener of listeners) {
        try {
          const out = listener.apply(null, args);
          if (out instanceof res.Promise || out instanceof Promise) {
            (out as Promise<unknown>).catch((err: unknown) => {
              unhandledRejections.push(`[${res.name}] Unhandled promise failure in ${name}: ${describe(err)}`);
              print(res.name, `Unhandled promise failure: ${String(err)}`);
            });
          }
        } catch (err) {
          scriptError(res.name, `event \`${name}'`, err);
        }
      }
      context.source = null;
    }
  }

  const emitFrom = (from: string, name: string, args: unknown[]) => dispatch(name, refs.pack(args, from, `${from} emit ${name}`), '');

  function addListener(res: Resource, name: string, fn: Listener, netSafe: boolean) {
    if (netSafe) res.netSafe.add(name);
    if (!res.listeners.has(name)) res.listeners.set(name, []);
    res.listeners.get(name)!.push(fn);
  }

  // ---- ACE and commands -----------------------------------------------------------------------

  const playerPrincipals = (id: number) => {
    const p = players.get(id);
    return [`player.${id}`, ...(p?.identifiers ?? []).map((i) => `identifier.${i}`)];
  };
  const isAceAllowed = (src: number | string, object: string) => {
    const id = Number(src);
    return players.has(id) && acl.allowed(playerPrincipals(id), object);
  };

  const BUILTIN: Record<string, (args: string[]) => void> = {
    add_ace: ([p, o, m]) => acl.addAce(p!, o!, m === 'deny' ? 'deny' : 'allow'),
    remove_ace: ([p, o]) => acl.removeAce(p!, o!),
    add_principal: ([c, p]) => acl.addPrincipal(c!, p!),
    remove_principal: ([c, p]) => acl.removePrincipal(c!, p!),
    set: ([k, ...v]) => void convars.set(k!, v.join(' ')),
    setr: ([k, ...v]) => void convars.set(k!, v.join(' ')),
    add_convar_permission: ([resource, operation, k]) => {
      if (operation !== 'read' || !resource || !k) return;
      convarReaders.set(k, (convarReaders.get(k) ?? new Set()).add(resource));
    },
  };

  function splitLine(line: string): string[] {
    const out: string[] = [];
    for (const m of line.trim().matchAll(/"([^"]*)"|(\S+)/g)) out.push(m[1] ?? m[2]!);
    return out;
  }

  /** A console / server.cfg line, or ExecuteCommand from `asResource` (which needs command.<name>). */
  function execute(line: string, asResource: string | null, source = 0) {
    const [name, ...args] = splitLine(line);
    if (!name) return;
    const cmd = name.toLowerCase();
    if (asResource !== null && !acl.allowed([`resource.${asResource}`], `command.${cmd}`)) {
      print(asResource, `Access denied for command ${cmd}.`);
      return;
    }
    const builtin = BUILTIN[cmd];
    if (builtin) {
      if (args.length < (cmd === 'add_convar_permission' ? 3 : 2) && cmd !== 'set' && cmd !== 'setr') return print('console', `${cmd}: missing arguments`);
      return builtin(args);
    }
    runCommand(source, cmd, args, line);
  }

  /** REGISTER_COMMAND: CallReference(handler, source, args, raw). The global `source` is not touched. */
  function runCommand(source: number, name: string, args: string[], raw: string) {
    const command = commands.get(name);
    if (!command) return print('console', `No such command ${name}.`);
    if (command.restricted && source !== 0 && !isAceAllowed(source, `command.${name}`)) {
      deniedCommands.push({ source, command: name });
      return print('console', `Access denied for command ${name}.`);
    }
    try {
      command.call(source, args, raw);
    } catch {
      // The handler's own resource already printed SCRIPT ERROR in call ref.
    }
  }

  // ---- players --------------------------------------------------------------------------------

  const playerOf = (src: unknown): Player | undefined => players.get(Number(src));

  /** GameServer::DropClientInternal: playerDropped only for a player who joined (not a temp id). */
  function removePlayer(id: number, reason: string, resourceName: string, dropReason: number) {
    const p = players.get(id);
    if (!p) return;
    if (p.joined) dispatch('playerDropped', refs.pack([reason || 'Dropped.', resourceName, dropReason], null, 'playerDropped'), `internal-net:${id}`);
    players.delete(id);
  }

  function stateProxy(owner: string, id: number) {
    const p = playerOf(id);
    const state = p?.state ?? new Map();
    // NewStateBag packs every value it sets: what a reader gets back is the unpacked copy.
    const put = (key: string, value: unknown, replicated: boolean) =>
      state.set(key, { value: refs.cross(value, owner, HARNESS, `state bag ${key}`), replicated });
    const api = { set: (key: string, value: unknown, replicated: boolean) => put(key, value, Boolean(replicated)) };
    return new Proxy(api as Record<string, unknown>, {
      get: (t, key) => (key === 'set' ? t.set : typeof key === 'string' ? state.get(key)?.value : undefined),
      set: (_t, key, value) => {
        if (typeof key === 'string') put(key, value, true);
        return true;
      },
    });
  }

  // ---- a resource's global scope --------------------------------------------------------------

  function createResourceContext(res: Resource): vm.Context {
    const name = res.name;
    const exportsCache = new Map<string, Map<string, Callable>>();
    exportCaches.set(name, exportsCache);
    const on = (event: string, fn: Listener, netSafe = false) => addListener(res, event, fn, Boolean(netSafe));

    const natives: Record<string, unknown> = {
      GetCurrentResourceName: () => name,
      GetInvokingResource: () => invokingResource,
      GetResourcePath: (r: string) => resources.get(r)?.path ?? '',
      GetResourceMetadata: (r: string, key: string, index: number) => (resources.get(r)?.path ? manifestMetadata(resources.get(r)!.path!, key, index) : null),
      GetResourceState: (r: string) => (resources.get(r)?.started ? 'started' : resources.has(r) ? 'stopped' : 'missing'),
      GetConvar: (k: string, d: string) => readConvar(name, k) ?? d,
      GetConvarInt: (k: string, d: number) => {
        const v = Number.parseInt(readConvar(name, k) ?? '', 10);
        return Number.isNaN(v) ? d : v;
      },
      SetConvar: (k: string, v: string) => void convars.set(String(k), String(v)),
      SetConvarReplicated: (k: string, v: string) => void convars.set(String(k), String(v)),
      LoadResourceFile: (r: string, file: string) => {
        const root = resources.get(r)?.path;
        if (!root || file.split(/[\\/]/).includes('..')) return null;
        try {
          return readFileSync(join(root, file), 'utf8');
        } catch {
          return null;
        }
      },
      SaveResourceFile: (r: string, file: string, data: string) => {
        const root = resources.get(r)?.path;
        if (!root || file.split(/[\\/]/).includes('..')) return false;
        mkdirSync(dirname(join(root, file)), { recursive: true });
        writeFileSync(join(root, file), data);
        return true;
      },
      ExecuteCommand: (line: string) => execute(String(line), name),
      RegisterCommand: (cmd: string, handler: Callable, restricted: boolean) => {
        const call = refs.cross(handler, name, null, `command ${cmd}`) as Callable;
        commands.set(cmd.toLowerCase(), { resource: name, call, restricted: Boolean(restricted) });
        res.commands.push(cmd.toLowerCase());
      },
      IsPlayerAceAllowed: (src: string, object: string) => isAceAllowed(src, object),
      SetHttpHandler: (handler: Callable) => http.set(name, refs.cross(handler, name, null, 'SetHttpHandler') as Callable),
      IsPrincipalAceAllowed: (principal: string, object: string) => acl.allowed([principal], object),
      CancelEvent: () => {
        cancelledEvent = true;
      },
      WasEventCanceled: () => cancelledEvent,
      GetNumPlayerIdentifiers: (src: string) => playerOf(src)?.identifiers.length ?? 0,
      GetPlayerIdentifier: (src: string, i: number) => playerOf(src)?.identifiers[i] ?? null,
      GetPlayerIdentifierByType: (src: string, type: string) => playerOf(src)?.identifiers.find((i) => i.startsWith(`${type}:`)) ?? null,
      GetPlayerName: (src: string) => playerOf(src)?.name ?? null,
      GetPlayerPing: (src: string) => (playerOf(src) ? 42 : 0),
      GetPlayerEndpoint: (src: string) => playerOf(src)?.identifiers.find((i) => i.startsWith('ip:'))?.slice(3) ?? null,
      GetNumPlayerIndices: () => [...players.values()].filter((p) => p.joined).length,
      GetPlayerFromIndex: (i: number) => String([...players.values()].filter((p) => p.joined)[i]?.id ?? ''),
      DropPlayer: (src: string, reason: string) => {
        const id = Number(src);
        if (!players.has(id)) return;
        droppedBy.push({ id, reason: String(reason) });
        removePlayer(id, String(reason), name, DROP_RESOURCE);
      },
      getPlayerIdentifiers: (src: number | string) => [...(playerOf(src)?.identifiers ?? [])],
      getPlayerTokens: () => [],
      getPlayers: () => [...players.values()].filter((p) => p.joined).map((p) => String(p.id)),
      Player: (src: number | string) => ({ state: stateProxy(name, Number(src)) }),
    };

    const emit = (event: string, ...args: unknown[]) => emitFrom(name, event, args);
    const emitNet = (event: string, target: number | string, ...args: unknown[]) => {
      const copied = refs.unpack(refs.pack(args, name, `emitNet ${event}`), HARNESS) as unknown[];
      netEvents.push({ name: event, target: Number(target), args: copied });
      if (event === 'chat:addMessage') {
        const targets = Number(target) === -1 ? [...players.keys()] : [Number(target)];
        for (const t of targets) chat.set(t, [...(chat.get(t) ?? []), copied[0]]);
      }
    };

    const globals: Record<string, unknown> = {
      console: {
        log: (...a: unknown[]) => print(name, a.map(String).join(' ')),
        info: (...a: unknown[]) => print(name, a.map(String).join(' ')),
        warn: (...a: unknown[]) => print(name, a.map(String).join(' ')),
        error: (...a: unknown[]) => print(name, a.map(String).join(' ')),
        debug: (...a: unknown[]) => print(name, a.map(String).join(' ')),
      },
      require: (id: string) => (id === 'fs' || id === 'node:fs' ? (res.path ? sandboxedFs(res.path) : hostRequire('fs')) : id === 'fs/promises' || id === 'node:fs/promises' ? (res.path ? sandboxedFs(res.path).promises : hostRequire(id)) : hostRequire(id)),
      process,
      Buffer,
      URL,
      URLSearchParams,
      TextEncoder,
      TextDecoder,
      AbortController,
      queueMicrotask,
      ...res.timers.globals,
      on,
      addEventListener: on,
      AddEventHandler: on,
      onNet: (event: string, fn: Listener) => on(event, fn, true),
      addNetEventListener: (event: string, fn: Listener) => on(event, fn, true),
      // main.js: `(name) => void netSafeEventNames.add(name)`; a handler passed along is ignored.
      RegisterNetEvent: (event: string) => void res.netSafe.add(event),
      RegisterServerEvent: (event: string) => void res.netSafe.add(event),
      removeEventListener: (event: string, fn: Listener) => {
        const list = res.listeners.get(event);
        const at = list?.indexOf(fn) ?? -1;
        if (at >= 0) list!.splice(at, 1);
      },
      emit,
      TriggerEvent: emit,
      emitNet,
      TriggerClientEvent: emitNet,
      exports: createExports({ self: name, emit, on: (event, fn) => on(event, fn), cache: exportsCache }),
      GlobalState: new Proxy({}, {}),
    };
    globals.RemoveEventHandler = globals.removeEventListener;
    for (const native of declaredNatives()) {
      if (!(native in natives)) globals[native] = () => { throw NATIVE_ERROR(native); };
    }
    Object.assign(globals, natives);
    const context = vm.createContext(globals, { name: `resource ${name}` });
    context.global = context;
    return context;
  }

  /** Every runtime's exportsCallbackCache (and the harness's): emptied for a resource when it stops. */
  const exportCaches = new Map<string, Map<string, Map<string, Callable>>>([[HARNESS, harnessExports]]);

  const harnessExportsProxy = createExports({
    self: HARNESS,
    emit: (event, ...args) => emitFrom(HARNESS, event, args),
    on: () => {
      throw new Error('the harness registers no exports');
    },
    cache: harnessExports,
  }) as unknown as Record<string, Record<string, Callable>>;

  // ---- the harness API ------------------------------------------------------------------------

  /**
   * `main`: a resource written as a host function (a framework stand-in, dev/emulator/frameworks): it is
   * called with the resource's own globals (exports, TriggerEvent, AddEventHandler, natives), so what it
   * registers and hands out crosses the runtime boundary like any resource's.
   */
  async function startResource(spec: { name: string; path?: string; code?: string; main?: (globals: Record<string, any>) => void }) {
    if (resources.get(spec.name)?.started) throw new Error(`resource ${spec.name} is already started`);
    const res = {
      name: spec.name,
      path: spec.path ? resolve(spec.path) : null,
      listeners: new Map(),
      netSafe: new Set(),
      commands: [],
      started: false,
    } as unknown as Resource;
    res.timers = createTimers({ gameTime, scriptError: (where, err) => scriptError(spec.name, where, err), busy: () => loop.ref() });
    resources.set(spec.name, res);
    res.context = createResourceContext(res);
    res.Promise = vm.runInContext('Promise', res.context) as PromiseConstructor;
    const sources = spec.main !== undefined ? [] : spec.code !== undefined ? [{ file: `${spec.name}/inline.js`, code: spec.code }] : serverScripts(res.path!).map((f) => ({ file: join(res.path!, f), code: readFileSync(join(res.path!, f), 'utf8') }));
    res.started = true;
    for (const { file, code } of sources) {
      try {
        vm.runInContext(code, res.context, { filename: file });
      } catch (err) {
        scriptError(spec.name, `loading ${file}`, err);
        print(spec.name, `^1Failed to load script ${file}.^7`);
      }
    }
    if (spec.main !== undefined) {
      try {
        spec.main(res.context as unknown as Record<string, any>);
      } catch (err) {
        scriptError(spec.name, `loading ${spec.name}`, err);
      }
    }
    emitFrom(HARNESS, 'onResourceStart', [spec.name]);
    emitFrom(HARNESS, 'onServerResourceStart', [spec.name]);
    await nextTick();
  }

  function stopResource(name: string) {
    const res = resources.get(name);
    if (!res?.started) return;
    emitFrom(HARNESS, 'onResourceStop', [name]);
    res.started = false;
    res.timers.clearAll();
    res.listeners.clear();
    res.netSafe.clear();
    for (const cache of exportCaches.values()) cache.delete(name);
    for (const cmd of res.commands) if (commands.get(cmd)?.resource === name) commands.delete(cmd);
    http.remove(name);
    keepTicking();
  }

  /**
   * `beforeJoin`: runs after an admitting deferrals.done() and before playerJoining, as a queue or a long
   * loading screen would stretch that window on a real server.
   */
  async function connectPlayer(spec: { name: string; identifiers: string[]; timeoutMs?: number; beforeJoin?: () => unknown }): Promise<ConnectResult> {
    const tempId = nextTempId++;
    const player: Player = { id: tempId, name: spec.name, identifiers: [...spec.identifiers], joined: false, state: new Map() };
    players.set(tempId, player);
    const result: ConnectResult = { accepted: false, tempId, id: null, updates: [], cards: [], violations: [], timedOut: false, deferralCalls: [] };
    let kickReason: string | undefined;
    let deferred = false;
    let sameTick = false;
    let finish!: (outcome: Outcome | null) => void;
    const finished = new Promise<Outcome | null>((r) => {
      finish = r;
    });
    const deferral = createDeferral((outcome) => finish(outcome));
    // A deferral call and the next one must be a server tick apart; a new tick, or any later turn of
    // Node's loop (where FXServer would already be in a later tick), clears the mark.
    const watcher = () => {
      sameTick = false;
    };
    tickWatchers.add(watcher);
    const markTick = () => {
      sameTick = true;
      setImmediate(watcher);
    };
    const caller = () => invokingResource ?? HARNESS;
    const hrMs = () => Number(process.hrtime.bigint()) / 1e6;
    const record = (call: string) => {
      const entry = { call, resource: caller(), tick: tickCount, at: hrMs(), syncEndedAt: -1 };
      result.deferralCalls.push(entry);
      queueMicrotask(() => {
        entry.syncEndedAt = hrMs();
      });
    };
    const step = (call: string) => {
      record(call);
      if (deferral.isCompleted()) result.violations.push(`${call} after done`);
      else if (sameTick) result.violations.push(`${call} in the same tick as the previous deferral call`);
      markTick();
    };
    // Server-side callbacks, handed to resources as function references (ClientDeferral::GetCallbacks);
    // invokingResource is the resource calling, the key of its deferral state.
    const deferrals = {
      defer: () => {
        record('defer');
        if (deferred) result.violations.push('defer called twice');
        deferred = true;
        markTick();
        deferral.defer(caller());
      },
      update: (...args: unknown[]) => {
        step('update');
        if (args.length === 1) result.updates.push(String(args[0]));
        deferral.update(caller(), args);
      },
      presentCard: (card: unknown) => {
        step('presentCard');
        result.cards.push(card);
      },
      handover: () => {},
      done: (...args: unknown[]) => {
        step('done');
        if (!deferred) result.violations.push('done without defer');
        deferral.done(caller(), args);
      },
    };
    const setKickReason = (reason: unknown) => {
      kickReason = String(reason);
    };
    cancelledEvent = false;
    dispatch('playerConnecting', refs.pack([spec.name, setKickReason, deferrals], null, 'playerConnecting'), `internal-net:${tempId}`);
    const wasCancelled = cancelledEvent;
    cancelledEvent = false;
    deferral.ranEvents();

    let outcome: Outcome;
    if (wasCancelled || kickReason !== undefined) {
      outcome = { admit: false, reason: kickReason ?? 'Connection cancelled.' };
    } else if (deferral.isDeferred()) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<null>((r) => (timer = setTimeout(() => r(null), spec.timeoutMs ?? 15_000)));
      const settled = await Promise.race([finished, timeout]);
      clearTimeout(timer);
      if (settled === null) {
        result.timedOut = true;
        outcome = { admit: false, reason: 'timed out waiting for deferrals.done' };
      } else outcome = settled;
    } else {
      outcome = { admit: true };
    }
    tickWatchers.delete(watcher);
    if (!outcome.admit) {
      result.reason = outcome.reason;
      players.delete(tempId);
      return result;
    }
    await spec.beforeJoin?.();
    const id = nextId++;
    players.delete(tempId);
    player.id = id;
    player.joined = true;
    players.set(id, player);
    dispatch('playerJoining', refs.pack([String(tempId)], null, 'playerJoining'), `internal-net:${id}`);
    result.accepted = true;
    result.id = id;
    await nextTick();
    return result;
  }

  return {
    exec: (line: string) => execute(line, null),
    startResource,
    stopResource,
    /** `exports[resource][name](...args)` from another resource: packed both ways, FXServer's errors. */
    callExport: (resource: string, name: string, ...args: unknown[]): unknown => harnessExportsProxy[resource]![name]!(...args),
    /** TriggerEvent from the server (source ''), arguments packed. */
    emit: (name: string, ...args: unknown[]) => emitFrom(HARNESS, name, args),
    /** A client's TriggerServerEvent: only names made net-safe in a resource reach its handlers. */
    emitNet: (name: string, fromPlayer: number, ...args: unknown[]) => dispatch(name, refs.pack(args, HARNESS, `client ${name}`), `net:${fromPlayer}`),
    connectPlayer,
    /** The player quits (ClientDropReason CLIENT); playerDropped gets (reason, '__cfx_internal:client', 2). */
    dropPlayer: (id: number, reason = 'Disconnected.') => removePlayer(id, reason, CLIENT_DROP_RESOURCE_NAME, DROP_CLIENT),
    command: (src: number, line: string) => {
      const [name, ...args] = splitLine(line);
      if (name) runCommand(src, name.toLowerCase(), args, line);
    },
    consoleLines,
    chatOf: (id: number) => chat.get(id) ?? [],
    /** Every chat message sent to anyone, in order per player. */
    allChat: () => [...chat.values()].flat(),
    netEvents,
    stateOf: (id: number) => Object.fromEntries(players.get(id)?.state ?? []),
    isAceAllowed: (id: number, object: string) => isAceAllowed(id, object),
    principalsOf: (child: string) => acl.parentsOf(child),
    players: () => [...players.values()].filter((p) => p.joined).map((p) => p.id),
    droppedBy,
    deniedCommands,
    unhandledRejections,
    serializationWarnings,
    /** Export names a resource registered (for the docs-drift test). */
    exportsOf: (resource: string) => {
      const prefix = exportEventName(resource, '');
      const listeners = resources.get(resource)?.listeners ?? new Map<string, Listener[]>();
      return [...listeners].filter(([event, list]) => event.startsWith(prefix) && list.length > 0).map(([event]) => event.slice(prefix.length));
    },
    /** Commands a resource registered. */
    commandsOf: (resource: string) => [...commands].filter(([, c]) => c.resource === resource).map(([name]) => name),
    /** Live timers and setTick callbacks per resource: a soak test checks they stay flat. */
    timerCount: (resource: string) => resources.get(resource)?.timers.count() ?? 0,
    /** Server ticks run so far. */
    ticks: () => tickCount,
    nextTick,
    /** Base URL of the server's HTTP endpoints (`/<resource>/...`, SetHttpHandler), listening on 127.0.0.1 from the first call. */
    httpUrl: () => http.url(),
    async close() {
      for (const name of [...resources.keys()].reverse()) stopResource(name);
      await http.close();
      await nextTick();
      clearInterval(loop);
      process.off('unhandledRejection', onUnhandled);
    },
  };
}

export type FxServer = ReturnType<typeof createFxServer>;
