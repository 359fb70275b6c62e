// The owner's README (docs/owner/README.md, shipped in the zip as README.md) is the contract other
// resources and server owners copy from. These tests read it and compare it with what the built resource
// really registers and what the config really accepts, so a new export, event, command or config key
// cannot ship undocumented, and a changed default cannot lie. The repository README keeps development.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseLua } from 'luaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../dev/resource-folder';
import { CONVARS, DEFAULTS, FREE_FORM_KEYS } from '../../src/core/config';
import { PERMISSIONS } from '../../src/core/permissions';
import { EVENT } from '../../src/fivem/events';
import { VERBS } from '../../dev/sandbox/verbs';
import { startHarness, type Harness } from '../integration/harness';

/** Where the reference tables and the examples live (see the repository README, "For server owners"). */
const OWNER_README = 'docs/owner/README.md';
const readme = readFileSync(join(ROOT, OWNER_README), 'utf8');
const repoReadme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const consumerTypes = readFileSync(join(ROOT, 'types/sonoran_accounts.d.ts'), 'utf8');

/** The rows of the first table under a `## heading`, as arrays of trimmed cells. */
function tableUnder(heading: string): string[][] {
  const start = readme.indexOf(`\n## ${heading}`);
  if (start < 0) throw new Error(`${OWNER_README} has no "## ${heading}" section`);
  const section = readme.slice(start + 1).split(/\n## /)[0]!;
  return section
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
    .slice(1) // header row
    .map((line) => line.replace(/\\\|/g, '¦').split('|').slice(1, -1).map((cell) => cell.trim()));
}

const code = (cell: string) => /`([^`]*)`/.exec(cell)?.[1] ?? '';

function flatten(value: unknown, prefix = ''): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || FREE_FORM_KEYS.includes(prefix)) return { [prefix]: value };
  return Object.assign({}, ...Object.entries(value).map(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k)));
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ cad: { accounts: 10 } });
});
afterAll(() => h.close());

describe('the repository README', () => {
  it('opens with the two commands CI and a new contributor run', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(repoReadme)?.[1] ?? '';
    expect(repoReadme.indexOf('```sh')).toBeLessThan(repoReadme.indexOf('\n## '));
    expect(firstBlock).toMatch(/^npm ci && npm start\s/m);
    expect(firstBlock).toMatch(/^npm ci && npm test\s/m);
  });

  it('lists every sandbox verb, and no verb the sandbox does not have', () => {
    const start = repoReadme.indexOf('\n## Try it first: the sandbox');
    const section = repoReadme.slice(start + 1).split(/\n## /)[0]!;
    const firstCells = section.split('\n').filter((l) => l.startsWith('| `')).map((l) => l.split(/(?<!\\)\|/)[1]!);
    const documented = new Set(firstCells.flatMap((cell) => [...cell.matchAll(/`([a-z]+)[^`]*`/g)].map((m) => m[1]!)));
    documented.delete('quit'); // handled by the console loop, not a verb
    expect([...documented].sort()).toEqual(Object.keys(VERBS).sort());
  });

  it('points owners to the owner README', () => {
    expect(repoReadme).toContain(`](${OWNER_README})`);
  });
});

describe('owner README reference matches the built resource', () => {
  it('documents exactly the exports the bundle registers, and the consumer .d.ts declares them', () => {
    const documented = tableUnder('Exports (server)').map((row) => code(row[0]!).replace(/\(.*$/, ''));
    const registered = h.fx.exportsOf('sonoran_accounts');
    expect(registered.length).toBeGreaterThan(0);
    expect([...documented].sort()).toEqual([...registered].sort());
    for (const name of registered) expect(consumerTypes, `types/sonoran_accounts.d.ts lacks ${name}`).toMatch(new RegExp(`\\n\\s+${name}\\(`));
  });

  it('documents exactly the events the code emits, and the .d.ts types each payload', () => {
    const documented = tableUnder('Events (local, for other server resources)').map((row) => code(row[0]!));
    expect([...documented].sort()).toEqual(Object.values(EVENT).sort());
    for (const name of Object.values(EVENT)) expect(consumerTypes).toContain(`'${name}':`);
  });

  it('documents every command the resource registers', () => {
    const documented = new Set(tableUnder('Commands').map((row) => code(row[0]!).replace(/^\//, '').split(' ')[0]));
    expect([...documented].sort()).toEqual([...h.fx.commandsOf('sonoran_accounts')].sort());
  });

  it('lists every config key with its real default and convar, and no key that does not exist', () => {
    const rows = tableUnder('Configuration');
    const defaults = flatten(DEFAULTS);
    expect(rows.map((row) => code(row[0]!)).sort()).toEqual(Object.keys(defaults).sort());
    const convarOf = Object.fromEntries(Object.entries(CONVARS).map(([key, convar]) => [convar, key]));
    for (const [keyCell, defaultCell, convarCell] of rows) {
      const key = code(keyCell!);
      expect(JSON.parse(code(defaultCell!)), `default of ${key}`).toEqual(defaults[key]);
      const convar = code(convarCell!);
      if (convar) expect(convarOf[convar], `convar ${convar}`).toBe(key);
      else expect(Object.keys(CONVARS)).not.toContain(key);
    }
  });

  it('ships a config.json whose every key exists and whose values are the documented defaults', () => {
    const shipped = flatten(JSON.parse(readFileSync(join(ROOT, 'config.json'), 'utf8')));
    const defaults = flatten(DEFAULTS);
    for (const [key, value] of Object.entries(shipped)) expect(value, `config.json ${key}`).toEqual(defaults[key]);
  });

  it('types every permission flag the core knows', () => {
    const typed = [...consumerTypes.split('export type CadPermission')[1]!.split(';')[0]!.matchAll(/'(\w+)'/g)].map((m) => m[1]);
    expect(typed).toEqual([...PERMISSIONS]);
  });
});

/** The fenced code blocks under `## heading`, with the bold line that introduces each. */
function codeBlocksUnder(heading: string): { title: string; lang: string; code: string }[] {
  const start = readme.indexOf(`\n## ${heading}`);
  if (start < 0) throw new Error(`${OWNER_README} has no "## ${heading}" section`);
  const section = readme.slice(start + 1).split(/\n## /)[0]!;
  return [...section.matchAll(/(?:\*\*([^*\n]+)\*\*(?:(?!\n\n)[\s\S])*\n\n)?```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ title: m[1] ?? '', lang: m[2]!, code: m[3]! }));
}

describe('owner README examples are safe to paste', () => {
  const blocks = codeBlocksUnder('Examples for your scripts');
  const lua = blocks.filter((b) => b.lang === 'lua');

  it('parse as Lua, call only exports and events the bundle has, and never take orders from a client', () => {
    expect(lua.length).toBeGreaterThanOrEqual(2);
    const exportsUsed = new Set<string>();
    const eventsUsed = new Set<string>();
    for (const { title, code } of blocks) {
      for (const m of code.matchAll(/exports\.sonoran_accounts[:.](\w+)/g)) exportsUsed.add(m[1]!);
      for (const m of code.matchAll(/'(sonoran_accounts:\w+)'/g)) eventsUsed.add(m[1]!);
      // A net event lets any client call the handler with any arguments: no example may open one.
      expect(code, title).not.toMatch(/RegisterNetEvent|RegisterServerEvent|onNet\(/);
    }
    for (const { title, code } of lua) expect(() => parseLua(code, { luaVersion: '5.3' }), title).not.toThrow();
    const registered = h.fx.exportsOf('sonoran_accounts');
    for (const name of exportsUsed) expect(registered, `export ${name}`).toContain(name);
    for (const name of eventsUsed) expect(Object.values(EVENT), `event ${name}`).toContain(name);
  });

  // Issue 22: the old examples demoted officers whenever the account was not known yet (hasAnyPermission
  // answers false before the cache is ready). Jobs are the built-in guard's now; no example takes one.
  it("take no framework job, and a Lua example that refuses on a permission first asks isReady() (unknown is not \"no\")", () => {
    for (const { title, code } of blocks) expect(code, title).not.toMatch(/setJob|SetJob|RemovePlayerFromJob|setGroup|SetPlayerPrimaryJob/);
    for (const { title, code } of lua) {
      const check = code.search(/hasPermission|hasAnyPermission|getPermissions/);
      if (check < 0) continue;
      const ready = code.indexOf('exports.sonoran_accounts:isReady()');
      expect(ready, `${title} asks isReady() before its permission check`).toBeGreaterThanOrEqual(0);
      expect(ready, title).toBeLessThan(check);
    }
  });
});

describe('owner README: jobs follow CAD permissions (issue 22)', () => {
  const section = readme.slice(readme.indexOf('\n## Jobs follow CAD permissions')).split(/\n## /)[1]!;

  it('shows the jobs config block with the real keys and the default rules', () => {
    const json = /```json\n([\s\S]*?)```/.exec(section)![1]!;
    const block = JSON.parse(`{${json}}`) as { jobs: Record<string, unknown> };
    expect(Object.keys(block.jobs).sort()).toEqual(Object.keys(DEFAULTS.jobs).sort());
    expect(block.jobs.rules).toEqual(DEFAULTS.jobs.rules);
  });

  it('says what "unknown is not no" means: not ready, unresolved, unreachable; only an answer removes', () => {
    const flat = section.replace(/\s+/g, ' ');
    expect(flat).toContain('**Unknown is not "no".**');
    for (const words of ['cache is not ready', 'unresolved', 'unreachable for a player the cache does not hold', 'only taken on an answer from the CAD']) expect(flat).toContain(words);
  });
});

describe('owner README covers what an owner needs (issue 16, point 3)', () => {
  it('has the sections an owner looks for', () => {
    const headings = [...readme.matchAll(/^#{2,3} (.+)$/gm)].map((m) => m[1]);
    for (const heading of ['Before you start', 'Install', 'With txAdmin', 'How a player links their CAD account', 'Updating', 'Configuration', 'Jobs follow CAD permissions', 'Examples for your scripts', 'Typed API for TypeScript resources', 'Troubleshooting']) {
      expect(headings, heading).toContain(heading);
    }
    const flat = readme.replace(/\s+/g, ' ');
    expect(flat).toContain('**Advanced → In-Game Integration**'); // where the Community ID and key are
    expect(flat).toContain('**Sonoran CAD Plus plan or higher.**'); // what GET_ACCOUNTS needs
    expect(flat).toContain('**System → Settings**'); // where a player sets their API ID
    const repository = /^repository '([^']+)'$/m.exec(readFileSync(join(ROOT, 'fxmanifest.lua'), 'utf8'))![1];
    expect(readme).toContain(`<${repository}/releases/latest>`); // the ready download
    expect(readme).toMatch(/txAdmin's \*\*CFG Editor\*\*/);
    expect(readme).toMatch(/\*\*Live Console\*\*/);
  });

  it('troubleshoots only lines the resource really prints', () => {
    const bundle = readFileSync(join(ROOT, 'dist/server.js'), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Troubleshooting')).split(/\n## /)[1]!;
    const symptoms = section.split('\n').filter((l) => l.startsWith('| `')).flatMap((l) => [...l.split('|')[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
    expect(symptoms.length).toBeGreaterThan(15);
    for (const symptom of symptoms) {
      // What varies in a real line (numbers, names, convars, quoted or bracketed parts) is left out.
      const fixed = symptom.split(/\d+|\.\.\.|<[^>]+>|"[^"]*"|\([^)]*\)|sonoran_\w+/).map((f) => f.trim()).filter((f) => f.length >= 6);
      for (const fragment of fixed) expect(bundle, `"${fragment}" (from "${symptom}")`).toContain(fragment);
    }
  });
});

/** The `### heading` (or `## heading`) section of the owner README, up to the next heading of any level. */
function sectionOf(heading: string): string {
  const start = readme.search(new RegExp(`\\n#{2,3} ${heading.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`));
  if (start < 0) throw new Error(`${OWNER_README} has no "${heading}" section`);
  return readme.slice(start + 1).split(/\n#{2,3} /)[0]!;
}

describe('owner README says what an owner meets (issue 24, points 8 and 9)', () => {
  it('Install warns that Windows "Extract All" nests the folder one level deeper', () => {
    const install = sectionOf('Install').replace(/\s+/g, ' ');
    expect(install).toMatch(/Extract All/);
    expect(install).toContain('resources/sonoran_accounts/sonoran_accounts/');
  });

  it('the sonorancad section: no second `ensure sonorancad` (sonorancad.cfg has it) and what sonoran_primaryIdentifier changes', () => {
    const section = sectionOf("With Sonoran's `sonorancad` resource on the same server");
    const cfg = /```cfg\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    expect(cfg).toMatch(/^exec sonorancad\.cfg/m);
    expect(cfg).not.toMatch(/^ensure sonorancad\b/m);
    expect(cfg.indexOf('exec sonorancad.cfg')).toBeLessThan(cfg.indexOf('ensure sonoran_accounts'));
    const flat = section.replace(/\s+/g, ' ');
    expect(flat).toContain('sonoran_primaryIdentifier');
    expect(flat).toMatch(/default `steam`/);
    expect(flat).toMatch(/tried first/);
  });

  it('names locales/overrides.json for an owner\'s own wording, which an update never ships, and the resource reads that file', () => {
    const bundle = readFileSync(join(ROOT, 'dist/server.js'), 'utf8');
    expect(bundle).toContain('locales/overrides.json');
    for (const heading of ['Updating', 'Configuration']) expect(sectionOf(heading), heading).toContain('locales/overrides.json');
  });

  it('the repository README says the test command installs or names MariaDB, next to the command', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(repoReadme)?.[1] ?? '';
    expect(firstBlock).toMatch(/^npm ci && npm test .*mariadb-server/m);
  });
});
