// A real Lua 5.4 (wasmoon: the official Lua compiled to WebAssembly) with the globals of FXServer's Lua
// runtime (lua/fxserver.lua) and framework stand-ins (lua/frameworks.lua), wired to the emulator: an
// `exports.sonoran_accounts:fn(...)` call is a real export call into the built bundle (msgpacked both
// ways), and the resource's events reach the snippet's AddEventHandler handlers, as on a server.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LuaFactory, type LuaEngine } from 'wasmoon';
import type { FxServer } from '../integration/harness';

const luaFile = (name: string) => fileURLToPath(new URL(`./lua/${name}`, import.meta.url));
const factory = new LuaFactory();

/** A resource in the emulator that forwards the events the Lua side listens to (one per emulator). */
const BRIDGE = 'lua_event_bridge';
const BRIDGE_CODE = `
let sink = null;
const listening = new Set();
exports('attach', (fn) => { sink = fn; });
exports('listen', (name) => {
  if (listening.has(name)) return;
  listening.add(name);
  on(name, (...args) => { if (sink) sink(name, ...args); });
});
`;

export interface LuaRuntime {
  run(code: string, chunkName: string): Promise<void>;
  /** Calls a global Lua function (the runner's world helpers). */
  call(name: string, ...args: unknown[]): unknown;
  /** SCRIPT ERRORs: a handler, a command or the snippet itself failed. */
  errors: string[];
  printed: string[];
  clientEvents: { name: string; target: number; args: unknown[] }[];
  commands: Map<string, { handler: (...args: unknown[]) => unknown; restricted: boolean }>;
  /** Runs a command the snippet registered, as FXServer calls it: (source, args, rawCommand). */
  command(source: number, line: string): void;
  close(): void;
}

/** Values as Lua gets them from msgpack: nil for null (a key with nil is no key), tables for the rest. */
function toLua(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.map(toLua);
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, toLua(v)]));
  }
  return value;
}

export async function ensureBridge(fx: FxServer): Promise<void> {
  if (!fx.exportsOf(BRIDGE).includes('listen')) await fx.startResource({ name: BRIDGE, code: BRIDGE_CODE });
}

export async function createLuaRuntime(fx: FxServer): Promise<LuaRuntime> {
  await ensureBridge(fx);
  const lua: LuaEngine = await factory.createEngine({ enableProxy: false, injectObjects: false });
  const errors: string[] = [];
  const printed: string[] = [];
  const clientEvents: LuaRuntime['clientEvents'] = [];
  const commands: LuaRuntime['commands'] = new Map();
  let closed = false;
  const g = lua.global;

  g.set('print', (...args: unknown[]) => void printed.push(args.map((a) => (a === null || a === undefined ? 'nil' : String(a))).join('\t')));
  g.set('__script_error', (where: string, err: unknown) => void errors.push(`SCRIPT ERROR in ${where}: ${String(err)}`));
  g.set('__listen', (name: string) => void fx.callExport(BRIDGE, 'listen', name));
  g.set('__has_export', (resource: string, name: string) => fx.exportsOf(resource).includes(name));
  g.set('__call_export', (resource: string, name: string, ...args: unknown[]) => {
    const result = fx.callExport(resource, name, ...args);
    if (result instanceof Promise) throw new Error(`export ${name} of ${resource} is asynchronous: awaiting it from Lua is not modelled by this runner`);
    return toLua(result);
  });
  g.set('__host_register_command', (name: string, handler: (...a: unknown[]) => unknown, restricted: boolean) => void commands.set(name.toLowerCase(), { handler, restricted }));
  g.set('__host_client_event', (name: string, target: number, ...args: unknown[]) => void clientEvents.push({ name, target: Number(target), args }));
  g.set('__host_players', () => fx.players().map(String));
  g.set('__host_player_name', (id: number) => (fx.players().includes(id) ? `Player ${id}` : undefined));
  g.set('__host_ace', (id: number, object: string) => fx.isAceAllowed(id, object));
  g.set('json', { encode: (v: unknown) => JSON.stringify(v), decode: (t: string) => toLua(JSON.parse(t)) });
  await lua.doString(readFileSync(luaFile('fxserver.lua'), 'utf8'));
  await lua.doString(readFileSync(luaFile('frameworks.lua'), 'utf8'));

  const dispatch = g.get('__dispatch') as (...args: unknown[]) => void;
  // The resource's events, msgpacked on the way as for any listener, into this runtime's handlers.
  fx.callExport(BRIDGE, 'attach', (name: string, ...args: unknown[]) => {
    if (closed) return;
    try {
      dispatch(name, '', ...args.map(toLua));
    } catch (err) {
      errors.push(`SCRIPT ERROR in event ${name}: ${(err as Error).message}`);
    }
  });

  return {
    async run(code, chunkName) {
      try {
        // load() with a chunk name, so an error names the snippet instead of the whole text.
        g.set('__snippet', code);
        await lua.doString(`local chunk, err = load(__snippet, ${JSON.stringify(`=${chunkName}`)}, 't')\nif not chunk then error(err, 0) end\nchunk()`);
      } catch (err) {
        errors.push(`SCRIPT ERROR in ${chunkName}: ${(err as Error).message}`);
      }
    },
    call: (name, ...args) => (g.get(name) as (...a: unknown[]) => unknown)(...args.map(toLua)),
    errors,
    printed,
    clientEvents,
    commands,
    command(source, line) {
      const [name, ...args] = line.trim().split(/\s+/);
      const command = commands.get(name!.toLowerCase());
      if (!command) throw new Error(`the snippet registered no command ${name}`);
      try {
        command.handler(source, args, line);
      } catch (err) {
        errors.push(`SCRIPT ERROR in command ${name}: ${(err as Error).message}`);
      }
    },
    close() {
      closed = true;
      g.close();
    },
  };
}
