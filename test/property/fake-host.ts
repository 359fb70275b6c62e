// An FxHost in memory, for property tests that drive the FiveM layer many hundreds of times a second.
// Integration tests use the emulator and the built bundle; this one exists because a property needs
// thousands of connects, joins and drops over an in-memory CAD on a manual clock, and needs the window
// between an admitting deferrals.done() and playerJoining as a step of its own.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Deferrals, FxHost } from '../../src/fivem/host';

type Handler = (source: number | string, ...args: any[]) => void;

export interface FakeConnect {
  tempId: number;
  /** undefined while the deferral is open; then whether the gate admitted. */
  admitted?: boolean;
  reason?: string;
}

export function fakeHost(opts: {
  files: Record<string, string>;
  convars: Record<string, string>;
  onEmit?: (name: string, args: unknown[]) => void;
  /** Other resources' exports (an in-process framework), and which resources count as started. */
  otherExports?: Record<string, Record<string, (...args: any[]) => unknown>>;
}) {
  const handlers = new Map<string, Handler[]>();
  const exportsMap = new Map<string, (...args: any[]) => unknown>();
  const identifiers = new Map<number, string[]>();
  const online = new Set<number>();
  const emitted: { name: string; args: unknown[] }[] = [];
  const dropped: { id: number; reason: string }[] = [];
  const lines: string[] = [];
  let nextTemp = 65_536;
  let nextId = 1;

  const dispatch = (event: string, source: number | string, ...args: unknown[]) => {
    for (const handler of handlers.get(event) ?? []) handler(source, ...args);
  };

  const host: FxHost = {
    resourceName: 'sonoran_accounts',
    resourcePath: '/nowhere',
    on(event, handler) {
      handlers.set(event, [...(handlers.get(event) ?? []), handler]);
    },
    emit(name, ...args) {
      emitted.push({ name, args });
      opts.onEmit?.(name, args);
    },
    registerExport: (name, fn) => void exportsMap.set(name, fn),
    callExport: (resource, name, ...args) => {
      const fn = opts.otherExports?.[resource]?.[name];
      if (!fn) throw new Error(`No such export ${name} in resource ${resource}`);
      return fn(...args);
    },
    registerCommand() {},
    getConvar: (name) => opts.convars[name],
    loadResourceFile: (path) => opts.files[path] ?? readRepoFile(path),
    resourceState: (name) => (opts.otherExports?.[name] ? 'started' : 'missing'),
    players: () => [...online],
    identifiersOf: (id) => identifiers.get(id) ?? [],
    playerName: (id) => `P${id}`,
    dropPlayer(id, reason) {
      if (!online.delete(id)) return;
      dropped.push({ id, reason });
      // FXServer raises playerDropped after DropPlayer returns.
      queueMicrotask(() => dispatch('playerDropped', id, reason));
    },
    isAceAllowed: () => false,
    isPrincipalAceAllowed: () => false,
    executeCommand() {},
    chat() {},
    setPlayerState() {},
    print: (line) => void lines.push(line),
    resourceVersion: () => '0.0.0-test',
    setHttpHandler() {},
    nextTick: () => Promise.resolve(),
  };

  return {
    host,
    emitted,
    dropped,
    lines,
    online,
    exports: exportsMap,
    /** playerConnecting with deferrals; `onDone` runs synchronously inside done(). */
    connect(ids: string[], onDone?: (c: FakeConnect) => void): FakeConnect {
      const result: FakeConnect = { tempId: nextTemp++ };
      identifiers.set(result.tempId, ids);
      const deferrals: Deferrals = {
        defer() {},
        update() {},
        done(reason?: string) {
          result.admitted = !reason;
          result.reason = reason;
          onDone?.(result);
        },
      };
      dispatch('playerConnecting', result.tempId, `P${result.tempId}`, () => {}, deferrals);
      return result;
    },
    /** playerJoining for an admitted connection: the permanent id. */
    join(c: FakeConnect): number {
      const id = nextId++;
      identifiers.set(id, identifiers.get(c.tempId) ?? []);
      online.add(id);
      dispatch('playerJoining', id, String(c.tempId));
      return id;
    },
    leave(id: number) {
      if (online.delete(id)) dispatch('playerDropped', id, 'Disconnected.');
    },
    stop: () => dispatch('onResourceStop', '', 'sonoran_accounts'),
    /** A server-local event another resource raises (TriggerEvent: source ''). */
    fire: (event: string, ...args: unknown[]) => dispatch(event, '', ...args),
  };
}

const ROOT = join(__dirname, '..', '..');
function readRepoFile(path: string): string | null {
  try {
    return readFileSync(join(ROOT, path), 'utf8');
  } catch {
    return null;
  }
}
