// `npm test`'s own set-up, run before vitest: the shared-database tests start a real MariaDB from
// Debian's `mariadb-server` (dev/mariadb.ts) and do not skip without it. Where this script can install
// it (Debian or Ubuntu, run as root, as on CI) it does, with one line saying so; anywhere else it stops
// at once with one line naming the package and the command that installs it, instead of a test run that
// fails after minutes.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mariaDbBinaries } from './mariadb';

export const PACKAGE = 'mariadb-server';

export interface Machine {
  /** mariadbd and mariadb-install-db are where dev/mariadb.ts looks. */
  haveServer: boolean;
  /** /etc/os-release says debian or ubuntu (or ID_LIKE debian), and apt-get is there. */
  debianLike: boolean;
  root: boolean;
  platform: NodeJS.Platform;
}

export type SetupStep =
  | { do: 'nothing' }
  | { do: 'install'; line: string; commands: string[][] }
  | { do: 'stop'; line: string };

export function setupStep(m: Machine): SetupStep {
  if (m.haveServer) return { do: 'nothing' };
  if (m.debianLike && m.root) {
    return {
      do: 'install',
      line: `npm test: installing Debian's ${PACKAGE} (the shared-database tests start their own MariaDB from it): apt-get install -y --no-install-recommends ${PACKAGE}`,
      commands: [
        ['apt-get', 'update'],
        ['apt-get', 'install', '-y', '--no-install-recommends', PACKAGE],
      ],
    };
  }
  const how = m.debianLike
    ? `sudo apt-get install ${PACKAGE}`
    : m.platform === 'darwin'
      ? 'brew install mariadb'
      : `your system's ${PACKAGE} package (Debian/Ubuntu: sudo apt-get install ${PACKAGE}; Fedora: sudo dnf install ${PACKAGE})`;
  return { do: 'stop', line: `npm test needs MariaDB's server (package ${PACKAGE}; the shared-database tests start their own from it): install it with ${how}, then run npm test again` };
}

export function thisMachine(): Machine {
  let osRelease = '';
  try {
    osRelease = readFileSync('/etc/os-release', 'utf8');
  } catch {
    /* not Linux, or a minimal image: not Debian-like */
  }
  const ids = /^(?:ID|ID_LIKE)=(.*)$/gm;
  const debian = [...osRelease.matchAll(ids)].some((m) => /\b(debian|ubuntu)\b/.test(m[1]!));
  const aptGet = ['/usr/bin/apt-get', '/bin/apt-get'].some((p) => existsSync(p));
  return {
    haveServer: mariaDbBinaries() !== null,
    debianLike: debian && aptGet,
    root: typeof process.getuid === 'function' && process.getuid() === 0,
    platform: process.platform,
  };
}

/** Exit code: 0 ready (installed now or before), 1 missing here. */
export function runSetup(machine: Machine = thisMachine(), print: (line: string) => void = console.log): number {
  const step = setupStep(machine);
  if (step.do === 'nothing') return 0;
  print(step.line);
  if (step.do === 'stop') return 1;
  for (const [cmd, ...args] of step.commands) {
    const run = spawnSync(cmd!, args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (run.status !== 0) {
      print(`npm test: "${[cmd, ...args].join(' ')}" failed (exit ${run.status ?? run.signal}); install ${PACKAGE} by hand, then run npm test again`);
      return 1;
    }
  }
  return mariaDbBinaries() !== null ? 0 : 1;
}
