// The README's test command on a fresh machine: it installs MariaDB's server where it can, and
// elsewhere stops at once with one line naming the package and the command (issue 24, point 10).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../dev/resource-folder';
import { runSetup, setupStep, type Machine } from '../../dev/test-setup';

const fresh: Machine = { haveServer: false, debianLike: true, root: true, platform: 'linux' };
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const testCommand = /^(npm ci && npm test)\b.*$/m.exec(readme);

describe('npm test set-up', () => {
  it('does nothing where MariaDB is installed', () => {
    expect(setupStep({ ...fresh, haveServer: true })).toEqual({ do: 'nothing' });
  });

  it('installs Debian\'s mariadb-server as root on Debian/Ubuntu, saying so in one line', () => {
    const step = setupStep(fresh);
    expect(step.do).toBe('install');
    if (step.do !== 'install') return;
    expect(step.line.split('\n')).toHaveLength(1);
    expect(step.line).toContain('mariadb-server');
    expect(step.commands.at(-1)).toEqual(['apt-get', 'install', '-y', '--no-install-recommends', 'mariadb-server']);
  });

  it.each([
    ['Debian, not root', { ...fresh, root: false }, 'sudo apt-get install mariadb-server'],
    ['macOS', { ...fresh, debianLike: false, platform: 'darwin' as const }, 'brew install mariadb'],
    ['another Linux', { ...fresh, debianLike: false }, 'mariadb-server'],
  ])('elsewhere (%s) stops at once with one line naming the package and the command', (_name, machine, command) => {
    const printed: string[] = [];
    expect(runSetup(machine, (l) => printed.push(l))).toBe(1);
    expect(printed).toHaveLength(1);
    expect(printed[0]).toContain('mariadb-server');
    expect(printed[0]).toContain(command);
  });

  it('runs before vitest in npm test, and CI runs exactly the README\'s test command', () => {
    const script = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.test as string;
    expect(script.indexOf('node .build/test-setup.mjs')).toBeGreaterThan(script.indexOf('node build.mjs'));
    expect(script.indexOf('node .build/test-setup.mjs')).toBeLessThan(script.indexOf('vitest run'));
    expect(testCommand).not.toBeNull();
    const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8').trim().split('\n');
    expect(ci.at(-1)).toBe(testCommand![1]);
    expect(ci.join('\n')).not.toMatch(/apt-get/); // the set-up is the test command's own
  });

  it('says so next to the README\'s test command, with the measured test time', () => {
    expect(testCommand![0]).toMatch(/mariadb-server/);
    expect(testCommand![0]).toMatch(/\d+ min/);
  });
});
