// The core's FileStore, inside this resource's folder (the only place FXServer's Node 22 sandbox lets a
// resource write). A write goes to a temp file first and is renamed over the target, so a crash or a
// full disk mid-write never leaves a half snapshot behind.
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
    writeAtomic(name, text) {
      const target = resolve(name);
      const temp = `${target}.${process.pid}.tmp`;
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(temp, text, 'utf8');
      fs.renameSync(temp, target);
    },
  };
}
