// An FXServer JavaScript runtime emulator: resources evaluated in global scope of their own vm
// context, FiveM's event/`source` rules, exports across resources as msgpack would copy them, commands
// and ACEs, players connecting through deferrals that enforce the one-tick rule, state bags, chat.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import * as vm from 'node:vm';
import { createAcl } from './ace';
import { sandboxedFs } from './fs-sandbox';
import { serverScripts } from './manifest';
import { declaredNatives } from './natives-list';
import { isThenable, toPlain } from './serialize';

export interface FxServerOptions {
  convars?: Record<string, string>;
  /** Also print resource console lines to this process's stdout. */
  echo?: boolean | ((line: string) => void);
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
}

interface Handler {
  resource: string;
  fn: (...args: any[]) => unknown;
  net: boolean;
}

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
  timers: Set<{ clear(): void }>;
  commands: string[];
  started: boolean;
}

interface Command {
  resource: string;
  handler: (source: number, args: string[], raw: string) => unknown;
  restricted: boolean;
}

const TEMP_ID_BASE = 65536;
const NATIVE_ERROR = (name: string) => new Error(`FXServer emulator: native ${name} is not implemented`);

export function createFxServer(options: FxServerOptions = {}) {
  const convars = new Map(Object.entries(options.convars ?? {}));
  const acl = createAcl();
  const handlers = new Map<string, Handler[]>();
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
  /** Told when a resource's timer fires: a new tick began (deferral bookkeeping listens). */
  const tickWatchers = new Set<() => void>();
  let nextTempId = TEMP_ID_BASE;
  let nextId = 1;
  let invokingResource: string | null = null;
  let cancelledEvent = false;
  const hostRequire = createRequire(import.meta.url);

  const print = (resource: string, text: string) => {
    const line = `[${resource}] ${text}`;
    consoleLines.push(line);
    if (typeof options.echo === 'function') options.echo(line);
    else if (options.echo) process.stdout.write(`${line}\n`);
  };

  const recordRejection = (resource: string, where: string, err: unknown) => {
    const text = `${where}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`;
    unhandledRejections.push(`[${resource}] ${text}`);
    print(resource, `^1SCRIPT ERROR: ${text}^7`);
  };

  // Promises a resource leaves unhandled reach the host process; FXServer logs them, so do we.
  const onUnhandled = (reason: unknown) => recordRejection('runtime', 'unhandled promise rejection', reason);
  process.on('unhandledRejection', onUnhandled);

  // ---- events ---------------------------------------------------------------------------------

  /** Calls every handler; `source` is set for the synchronous part only, as in FXServer. */
  function dispatch(name: string, args: unknown[], source: number | string, fromNet: boolean) {
    for (const handler of [...(handlers.get(name) ?? [])]) {
      if (fromNet && !handler.net) continue;
      const res = resources.get(handler.resource);
      if (!res) continue;
      res.context.source = source;
      try {
        const out = handler.fn(...args);
        if (isThenable(out)) out.then(undefined, (err) => recordRejection(handler.resource, `async handler of ${name}`, err));
      } catch (err) {
        recordRejection(handler.resource, `handler of ${name}`, err);
      } finally {
        res.context.source = undefined;
      }
    }
  }

  const addHandler = (resource: string, name: string, fn: Handler['fn'], net: boolean) => {
    if (typeof fn !== 'function') throw new TypeError(`${name}: handler must be a function`);
    if (!handlers.has(name)) handlers.set(name, []);
    handlers.get(name)!.push({ resource, fn, net });
  };

  const emitLocal = (from: string, name: string, args: unknown[]) =>
    dispatch(name, args.map((a, i) => toPlain(a, serializationWarnings, `${from} emit ${name} arg ${i}`)), '', false);

  // ---- exports --------------------------------------------------------------------------------

  function exportFn(resource: string, name: string): (...args: unknown[]) => unknown {
    let found: ((...args: unknown[]) => unknown) | undefined;
    const res = resources.get(resource);
    if (res?.started) {
      for (const h of handlers.get(`__cfx_export_${resource}_${name}`) ?? []) {
        h.fn((fn: (...args: unknown[]) => unknown) => {
          found = fn;
        });
      }
    }
    if (!found) throw new Error(`No such export ${name} in resource ${resource}`);
    return found;
  }

  function callExport(caller: string, resource: string, name: string, args: unknown[]): unknown {
    const fn = exportFn(resource, name);
    const where = `${resource}.${name}`;
    const copied = args.map((a, i) => toPlain(a, serializationWarnings, `${where} arg ${i}`));
    const previous = invokingResource;
    invokingResource = caller;
    let result: unknown;
    try {
      result = fn(...copied);
    } finally {
      invokingResource = previous;
    }
    if (isThenable(result)) {
      return Promise.resolve(result).then((value) => toPlain(value, serializationWarnings, `${where} result`));
    }
    return toPlain(result, serializationWarnings, `${where} result`);
  }

  const exportsProxy = (caller: string) => {
    const register = (name: string, fn: (...args: unknown[]) => unknown) =>
      addHandler(caller, `__cfx_export_${caller}_${name}`, (setCB: (f: unknown) => void) => setCB(fn), false);
    return new Proxy(register, {
      get(_target, resource) {
        if (typeof resource !== 'string') return undefined;
        return new Proxy({}, { get: (_t, name) => (typeof name === 'string' ? (...args: unknown[]) => callExport(caller, resource, name, args) : undefined) });
      },
    });
  };

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
      if (args.length < 2 && cmd !== 'set' && cmd !== 'setr') return print('console', `${cmd}: missing arguments`);
      return builtin(args);
    }
    runCommand(source, cmd, args, line);
  }

  function runCommand(source: number, name: string, args: string[], raw: string) {
    const command = commands.get(name);
    if (!command) return print('console', `No such command ${name}.`);
    if (command.restricted && source !== 0 && !isAceAllowed(source, `command.${name}`)) {
      deniedCommands.push({ source, command: name });
      return print('console', `Access denied for command ${name}.`);
    }
    const res = resources.get(command.resource);
    if (!res) return;
    res.context.source = source;
    try {
      const out = command.handler(source, args, raw);
      if (isThenable(out)) out.then(undefined, (err) => recordRejection(command.resource, `command ${name}`, err));
    } catch (err) {
      recordRejection(command.resource, `command ${name}`, err);
    } finally {
      res.context.source = undefined;
    }
  }

  // ---- players --------------------------------------------------------------------------------

  const playerOf = (src: unknown): Player | undefined => players.get(Number(src));

  function removePlayer(id: number, reason: string) {
    const p = players.get(id);
    if (!p) return;
    dispatch('playerDropped', [reason], id, false);
    players.delete(id);
  }

  function stateProxy(id: number) {
    const p = playerOf(id);
    const state = p?.state ?? new Map();
    const api = {
      set: (key: string, value: unknown, replicated: boolean) =>
        state.set(key, { value: toPlain(value, serializationWarnings, `state bag ${key}`), replicated: Boolean(replicated) }),
    };
    return new Proxy(api as Record<string, unknown>, {
      get: (t, key) => (key === 'set' ? t.set : typeof key === 'string' ? state.get(key)?.value : undefined),
      set: (_t, key, value) => {
        if (typeof key === 'string') state.set(key, { value: toPlain(value, serializationWarnings, `state bag ${key}`), replicated: true });
        return true;
      },
    });
  }

  // ---- a resource's global scope --------------------------------------------------------------

  function createResourceContext(res: Resource): vm.Context {
    const name = res.name;
    const track = <T>(make: () => T, clear: (t: T) => void) => {
      const handle = make();
      const entry = { clear: () => clear(handle) };
      res.timers.add(entry);
      return { handle, entry };
    };
    const guard = (fn: (...a: unknown[]) => unknown, what: string) => (...a: unknown[]) => {
      try {
        const out = fn(...a);
        if (isThenable(out)) out.then(undefined, (err) => recordRejection(name, what, err));
      } catch (err) {
        recordRejection(name, what, err);
      }
    };
    const timerHandles = new Map<unknown, { clear(): void }>();
    const timer = (kind: 'timeout' | 'interval' | 'immediate') => (fn: (...a: unknown[]) => unknown, ms?: number, ...rest: unknown[]) => {
      let t: { handle: NodeJS.Timeout | NodeJS.Immediate; entry: { clear(): void } };
      const run = guard(() => {
        // A timer callback runs in a later server tick than whatever scheduled it.
        for (const watcher of tickWatchers) watcher();
        if (kind !== 'interval') {
          res.timers.delete(t.entry);
          timerHandles.delete(t.handle);
        }
        return fn(...rest);
      }, `${kind} callback`);
      if (kind === 'immediate') t = track(() => setImmediate(run), (h) => clearImmediate(h as NodeJS.Immediate));
      else if (kind === 'interval') t = track(() => setInterval(run, ms), (h) => clearInterval(h as NodeJS.Timeout));
      else t = track(() => setTimeout(run, ms), (h) => clearTimeout(h as NodeJS.Timeout));
      timerHandles.set(t.handle, t.entry);
      return t.handle;
    };
    const clear = (handle: unknown) => {
      const entry = timerHandles.get(handle);
      if (!entry) return;
      entry.clear();
      res.timers.delete(entry);
      timerHandles.delete(handle);
    };
    const ticks = new Map<number, unknown>();
    let tickId = 0;

    const natives: Record<string, unknown> = {
      GetCurrentResourceName: () => name,
      GetInvokingResource: () => invokingResource,
      GetResourcePath: (r: string) => resources.get(r)?.path ?? '',
      GetResourceState: (r: string) => (resources.get(r)?.started ? 'started' : resources.has(r) ? 'stopped' : 'missing'),
      GetConvar: (k: string, d: string) => convars.get(k) ?? d,
      GetConvarInt: (k: string, d: number) => {
        const v = Number.parseInt(convars.get(k) ?? '', 10);
        return Number.isNaN(v) ? d : v;
      },
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
      RegisterCommand: (cmd: string, handler: Command['handler'], restricted: boolean) => {
        commands.set(cmd.toLowerCase(), { resource: name, handler, restricted: Boolean(restricted) });
        res.commands.push(cmd.toLowerCase());
      },
      IsPlayerAceAllowed: (src: string, object: string) => isAceAllowed(src, object),
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
        removePlayer(id, String(reason));
      },
      getPlayerIdentifiers: (src: number | string) => [...(playerOf(src)?.identifiers ?? [])],
      getPlayerTokens: () => [],
      getPlayers: () => [...players.values()].filter((p) => p.joined).map((p) => String(p.id)),
      Player: (src: number | string) => ({ state: stateProxy(Number(src)) }),
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
      setTimeout: timer('timeout'),
      setInterval: timer('interval'),
      setImmediate: (fn: (...a: unknown[]) => unknown, ...rest: unknown[]) => timer('immediate')(fn, undefined, ...rest),
      clearTimeout: clear,
      clearInterval: clear,
      clearImmediate: clear,
      setTick: (fn: () => unknown) => {
        const id = ++tickId;
        ticks.set(id, timer('interval')(fn, 5));
        return id;
      },
      clearTick: (id: number) => {
        clear(ticks.get(id));
        ticks.delete(id);
      },
      on: (event: string, fn: Handler['fn']) => addHandler(name, event, fn, false),
      AddEventHandler: (event: string, fn: Handler['fn']) => addHandler(name, event, fn, false),
      addEventListener: (event: string, fn: Handler['fn'], netSafe?: boolean) => addHandler(name, event, fn, Boolean(netSafe)),
      onNet: (event: string, fn: Handler['fn']) => addHandler(name, event, fn, true),
      addNetEventListener: (event: string, fn: Handler['fn']) => addHandler(name, event, fn, true),
      RegisterNetEvent: (event: string, fn?: Handler['fn']) => fn && addHandler(name, event, fn, true),
      removeEventListener: (event: string, fn: Handler['fn']) => {
        const list = handlers.get(event);
        if (list) handlers.set(event, list.filter((h) => h.fn !== fn));
      },
      emit: (event: string, ...args: unknown[]) => emitLocal(name, event, args),
      TriggerEvent: (event: string, ...args: unknown[]) => emitLocal(name, event, args),
      emitNet: (event: string, target: number | string, ...args: unknown[]) => {
        const copied = args.map((a, i) => toPlain(a, serializationWarnings, `emitNet ${event} arg ${i}`));
        netEvents.push({ name: event, target: Number(target), args: copied });
        if (event === 'chat:addMessage') {
          const targets = Number(target) === -1 ? [...players.keys()] : [Number(target)];
          for (const t of targets) chat.set(t, [...(chat.get(t) ?? []), copied[0]]);
        }
      },
      TriggerClientEvent: (event: string, target: number | string, ...args: unknown[]) => (globals.emitNet as (...a: unknown[]) => void)(event, target, ...args),
      exports: exportsProxy(name),
      GlobalState: new Proxy({}, {}),
    };
    for (const native of declaredNatives()) {
      if (!(native in natives)) globals[native] = () => { throw NATIVE_ERROR(native); };
    }
    Object.assign(globals, natives);
    const context = vm.createContext(globals, { name: `resource ${name}` });
    context.global = context;
    return context;
  }

  // ---- the harness API ------------------------------------------------------------------------

  async function startResource(spec: { name: string; path?: string; code?: string }) {
    if (resources.get(spec.name)?.started) throw new Error(`resource ${spec.name} is already started`);
    const res: Resource = { name: spec.name, path: spec.path ? resolve(spec.path) : null, context: {}, timers: new Set(), commands: [], started: false };
    resources.set(spec.name, res);
    res.context = createResourceContext(res);
    const sources = spec.code !== undefined ? [{ file: `${spec.name}/inline.js`, code: spec.code }] : serverScripts(res.path!).map((f) => ({ file: join(res.path!, f), code: readFileSync(join(res.path!, f), 'utf8') }));
    res.started = true;
    for (const { file, code } of sources) {
      try {
        vm.runInContext(code, res.context, { filename: file });
      } catch (err) {
        recordRejection(spec.name, `loading ${file}`, err);
        print(spec.name, `^1Failed to load script ${file}.^7`);
      }
    }
    dispatch('onResourceStart', [spec.name], '', false);
    await nextTick();
  }

  function stopResource(name: string) {
    const res = resources.get(name);
    if (!res?.started) return;
    dispatch('onResourceStop', [name], '', false);
    res.started = false;
    for (const t of res.timers) t.clear();
    res.timers.clear();
    for (const [event, list] of handlers) handlers.set(event, list.filter((h) => h.resource !== name));
    for (const cmd of res.commands) if (commands.get(cmd)?.resource === name) commands.delete(cmd);
  }

  async function connectPlayer(spec: { name: string; identifiers: string[]; timeoutMs?: number }): Promise<ConnectResult> {
    const tempId = nextTempId++;
    const player: Player = { id: tempId, name: spec.name, identifiers: [...spec.identifiers], joined: false, state: new Map() };
    players.set(tempId, player);
    const result: ConnectResult = { accepted: false, tempId, id: null, updates: [], cards: [], violations: [], timedOut: false };
    let kickReason: string | undefined;
    let deferred = false;
    let sameTick = false;
    let finish!: (reason: string | undefined | null) => void;
    const finished = new Promise<string | undefined | null>((r) => {
      finish = r;
    });
    let done = false;
    // Node may run a resource's setTimeout(0) before the setImmediate below: either one means a new tick.
    const watcher = () => {
      sameTick = false;
    };
    tickWatchers.add(watcher);
    const step = (call: string) => {
      if (done) result.violations.push(`${call} after done`);
      else if (sameTick) result.violations.push(`${call} in the same tick as the previous deferral call`);
      sameTick = true;
      setImmediate(() => {
        sameTick = false;
      });
    };
    const deferrals = {
      defer: () => {
        if (deferred) result.violations.push('defer called twice');
        deferred = true;
        sameTick = true;
        setImmediate(() => {
          sameTick = false;
        });
      },
      update: (msg: string) => {
        step('update');
        result.updates.push(String(msg));
      },
      presentCard: (card: unknown) => {
        step('presentCard');
        result.cards.push(card);
      },
      handover: () => {},
      done: (reason?: string) => {
        step('done');
        if (!deferred) result.violations.push('done without defer');
        done = true;
        finish(reason === undefined || reason === null || reason === '' ? undefined : String(reason));
      },
    };
    cancelledEvent = false;
    dispatch('playerConnecting', [spec.name, (reason: string) => (kickReason = String(reason)), deferrals], tempId, false);
    const wasCancelled = cancelledEvent;
    cancelledEvent = false;

    let reason: string | undefined | null;
    if (wasCancelled || kickReason !== undefined) {
      reason = kickReason ?? 'Connection cancelled.';
    } else if (deferred) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<null>((r) => (timer = setTimeout(() => r(null), spec.timeoutMs ?? 15_000)));
      reason = await Promise.race([finished, timeout]);
      clearTimeout(timer);
      if (reason === null) {
        result.timedOut = true;
        reason = 'timed out waiting for deferrals.done';
      }
    }
    tickWatchers.delete(watcher);
    if (reason !== undefined && reason !== null) {
      result.reason = reason;
      players.delete(tempId);
      return result;
    }
    const id = nextId++;
    players.delete(tempId);
    player.id = id;
    player.joined = true;
    players.set(id, player);
    dispatch('playerJoining', [String(tempId)], id, false);
    result.accepted = true;
    result.id = id;
    await nextTick();
    return result;
  }

  function nextTick(): Promise<void> {
    return new Promise((r) => setTimeout(r, 0));
  }

  return {
    exec: (line: string) => execute(line, null),
    startResource,
    stopResource,
    callExport: (resource: string, name: string, ...args: unknown[]) => callExport('harness', resource, name, args),
    emit: (name: string, ...args: unknown[]) => emitLocal('harness', name, args),
    emitNet: (name: string, fromPlayer: number, ...args: unknown[]) =>
      dispatch(name, args.map((a, i) => toPlain(a, serializationWarnings, `client ${name} arg ${i}`)), fromPlayer, true),
    connectPlayer,
    dropPlayer: (id: number, reason = 'Disconnected.') => removePlayer(id, reason),
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
    exportsOf: (resource: string) =>
      [...handlers.keys()].filter((e) => e.startsWith(`__cfx_export_${resource}_`) && (handlers.get(e)?.length ?? 0) > 0).map((e) => e.slice(`__cfx_export_${resource}_`.length)),
    /** Commands a resource registered. */
    commandsOf: (resource: string) => [...commands].filter(([, c]) => c.resource === resource).map(([name]) => name),
    /** Live timers per resource: a soak test checks they stay flat. */
    timerCount: (resource: string) => resources.get(resource)?.timers.size ?? 0,
    nextTick,
    async close() {
      for (const name of [...resources.keys()].reverse()) stopResource(name);
      process.off('unhandledRejection', onUnhandled);
      await nextTick();
    },
  };
}

export type FxServer = ReturnType<typeof createFxServer>;
