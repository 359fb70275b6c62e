// FXServer's Node 22 runtime lets a resource touch only its own folder and refuses `..` in paths.
// The emulator gives every resource that `fs`, so nothing passes here that would fail on a server.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

/** fs calls whose second argument is a path too. */
const TWO_PATHS = new Set(['rename', 'renameSync', 'copyFile', 'copyFileSync', 'link', 'linkSync', 'symlink', 'symlinkSync', 'cp', 'cpSync']);

export function sandboxedFs(root: string): typeof fs {
  const base = path.resolve(root);
  const check = (p: unknown, call: string) => {
    if (typeof p === 'number') return; // a file descriptor the sandbox already let through
    const text = typeof p === 'string' ? p : p instanceof URL ? fileURLToPath(p) : Buffer.isBuffer(p) ? p.toString() : null;
    if (text === null) return;
    const resolved = path.resolve(base, text);
    if (text.split(/[\\/]/).includes('..') || (resolved !== base && !resolved.startsWith(base + path.sep))) {
      const err = new Error(`EACCES: permission denied (FXServer sandbox), ${call} '${text}' is outside the resource folder`) as NodeJS.ErrnoException;
      err.code = 'EACCES';
      throw err;
    }
  };
  const wrap = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(obj, name, receiver) {
        const value = Reflect.get(obj, name, receiver) as unknown;
        if (name === 'promises' && value && typeof value === 'object') return wrap(value);
        if (typeof value !== 'function' || typeof name !== 'string' || /^[A-Z]/.test(name)) return value;
        return (...args: unknown[]) => {
          check(args[0], name);
          if (TWO_PATHS.has(name)) check(args[1], name);
          return (value as (...a: unknown[]) => unknown).apply(obj, args);
        };
      },
    });
  return wrap(fs);
}
