// Issue 20, suspicion: the snapshot's temp file. The old and the new instance of the resource write
// their snapshots during a restart in one FXServer process (one pid): a temp file named by the pid alone
// was one file for both, their chunks interleaved and the result renamed over the snapshot. A write
// that failed also left its temp file behind for good.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createResourceFiles } from '../../src/fivem/resource-files';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

/** Many chunks, so two writes in flight at once take turns between them. */
const snapshot = (who: string) => ['{"rows":[', ...Array.from({ length: 200 }, (_, i) => `${i > 0 ? ',' : ''}"${who}-${i}-${'x'.repeat(200)}"`), ']}'];

describe('resource files: atomic writes', () => {
  it('two writes of one file at once (old and new instance in one process) leave one whole file, never a mix', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sonoran-files-'));
    const oldInstance = createResourceFiles(dir);
    const newInstance = createResourceFiles(dir);
    await Promise.all([oldInstance.writeAtomic('cache/snapshot.json', snapshot('old')), newInstance.writeAtomic('cache/snapshot.json', snapshot('new'))]);
    const text = readFileSync(join(dir, 'cache/snapshot.json'), 'utf8');
    expect([snapshot('old').join(''), snapshot('new').join('')]).toContain(text);
    expect(readdirSync(join(dir, 'cache'))).toEqual(['snapshot.json']);
  });

  it('a write that fails leaves the previous file and no temp file behind', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sonoran-files-'));
    const files = createResourceFiles(dir);
    await files.writeAtomic('cache/snapshot.json', ['{"good":true}']);
    function* failing() {
      yield '{"half":';
      throw new Error('disk full');
    }
    // Fails mid-write, as a full disk does (the chunks are read while writing).
    await expect(files.writeAtomic('cache/snapshot.json', failing() as unknown as readonly string[])).rejects.toThrow('disk full');
    expect(readFileSync(join(dir, 'cache/snapshot.json'), 'utf8')).toBe('{"good":true}');
    expect(readdirSync(join(dir, 'cache'))).toEqual(['snapshot.json']);
  });
});
