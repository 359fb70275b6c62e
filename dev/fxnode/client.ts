// The parent's side of dev/fxnode: start an emulated FXServer in a child process and talk to it.
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../resource-folder';

export interface FxNode {
  readonly pid: number;
  /** Every console line the server printed so far. */
  readonly lines: string[];
  exportCall<T = unknown>(name: string, ...args: unknown[]): Promise<T>;
  connect(name: string, identifiers: string[]): Promise<{ accepted: boolean; reason: string | null; id: number | null }>;
  stopResource(): Promise<void>;
  /** SIGKILL: the process dies mid-whatever, as a crashed server does. */
  kill(): Promise<void>;
  /** A clean exit (the resource stops first). */
  close(): Promise<void>;
  readonly alive: boolean;
}

export async function startFxNode(opts: { convars: Record<string, string>; config: Record<string, unknown>; echo?: (line: string) => void }): Promise<FxNode> {
  const script = join(ROOT, '.build/fxnode.mjs');
  if (!existsSync(script)) throw new Error('.build/fxnode.mjs is missing: run `node build.mjs`');
  const child: ChildProcess = fork(script, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const lines: string[] = [];
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let alive = true;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      alive = false;
      for (const p of pending.values()) p.reject(new Error('the server process exited'));
      pending.clear();
      resolve();
    }),
  );
  const ready = new Promise<void>((resolve) => {
    child.on('message', (msg: { id?: number; ok?: boolean; result?: unknown; error?: string; line?: string; ready?: boolean }) => {
      if (msg.ready) return resolve();
      if (msg.line !== undefined) {
        lines.push(msg.line);
        opts.echo?.(msg.line);
        return;
      }
      const waiter = msg.id === undefined ? undefined : pending.get(msg.id);
      if (!waiter) return;
      pending.delete(msg.id!);
      if (msg.ok) waiter.resolve(msg.result);
      else waiter.reject(new Error(msg.error));
    });
  });
  const call = <T>(msg: Record<string, unknown>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (!alive) return reject(new Error('the server process exited'));
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, ...msg });
    });
  await ready;
  await call({ op: 'start', convars: opts.convars, config: opts.config });
  return {
    pid: child.pid!,
    lines,
    exportCall: (name, ...args) => call({ op: 'export', name, args }),
    connect: (name, identifiers) => call({ op: 'connect', name, identifiers }),
    stopResource: () => call({ op: 'stopResource' }),
    async kill() {
      if (!alive) return;
      child.kill('SIGKILL');
      await exited;
    },
    async close() {
      if (!alive) return;
      await call({ op: 'stopResource' }).catch(() => {});
      // Let the resource's stop finish its last database write (it hands the sweep lease back).
      await new Promise((r) => setTimeout(r, 300));
      if (alive) child.disconnect();
      await exited;
    },
    get alive() {
      return alive;
    },
  };
}
