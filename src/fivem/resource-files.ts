// The core's FileStore, inside this resource's folder (the only place FXServer's Node 22 sandbox lets a
// resource write). A write goes to a temp file first and is renamed over the target, so a crash or a
// full disk mid-write never leaves a half snapshot behind. Writes are asynchronous: megabytes of
// snapshot must not block a server tick.
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { FileStore } from '../core/types';

export function createResourceFiles(root: string): FileStore {
  const resolve = (name: string) => {
    const full = path.resolve(root, name);
    if (!full.startsWith(path.resolve(root) + path.sep)) throw new Error(`${name} is outside the resource folder`);
    return full;
  };
  return {
    read(name) {
      try {
        return fs.readFileSync(resolve(name), 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    async writeAtomic(name, chunks) {
      const target = resolve(name);
      // One temp file per write: the old and the new instance of this resource write in one process
      // (one pid) during a restart, and must not write into each other's file.
      const temp = `${target}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
      await fs.promises.mkdir(path.dirname(target), { recursive: true });
      const file = await fs.promises.open(temp, 'wx');
      try {
        try {
          for (const chunk of chunks) await (typeof chunk === 'string' ? file.write(chunk, null, 'utf8') : file.write(chunk));
        } finally {
          await file.close();
        }
        await fs.promises.rename(temp, target);
      } catch (err) {
        await fs.promises.unlink(temp).catch(() => {});
        throw err;
      }
    },
  };
}
