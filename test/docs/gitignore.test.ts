// .gitignore must not hide a file the project needs: a fresh clone would work, but a contributor's new
// copy of such a file (or its edits, for tools that honour .gitignore) would silently go missing.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../dev/resource-folder';

const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' });

describe('.gitignore', () => {
  it('ignores no tracked file', () => {
    expect(git('ls-files', '--cached', '--ignored', '--exclude-standard').trim()).toBe('');
  });

  it('keeps the files the sandbox, tests and release need visible, and ignores what builds make', () => {
    const needed = ['dev/resource-folder.ts', 'config.json', 'docs/owner/README.md', 'types/sonoran_accounts.d.ts', '.github/workflows/release.yml'];
    const made = ['dist/server.js', '.build/sandbox.mjs', 'sonoran_accounts.zip', 'cache/snapshot.json', 'node_modules/x'];
    const ignored = (path: string) => {
      try {
        return git('check-ignore', '--no-index', path).trim() !== '';
      } catch {
        return false; // exit 1: not ignored
      }
    };
    for (const path of needed) expect(ignored(path), path).toBe(false);
    for (const path of made) expect(ignored(path), path).toBe(true);
  });
});
