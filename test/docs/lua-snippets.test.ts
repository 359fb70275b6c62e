// Docs that run: every Lua snippet of the owner README runs in a real Lua 5.4 VM (lua-runtime.ts) against
// the built resource in the emulator, and every JavaScript snippet as a resource of the emulator. Generic
// over the snippets (they are read from the README, not copied here), so a rewritten example is run as it
// is. What each one must do follows from the snippet and the README's promise for the examples:
//   - it loads without error, and every handler or command it registers runs without error;
//   - one that gates jobs (a `REQUIRED` table of job -> CAD permissions, under a framework whose stand-in
//     lua/frameworks.lua provides) leaves no player a job their CAD permissions (getPermissions, the
//     resource's own answer) do not allow, and tells whoever lost one: at login, on every job change made
//     through the framework, and when the CAD changes while they play (a real sweep, a real
//     sonoran_accounts:playerUpdated); a player who is allowed keeps the job;
//   - a command it registers that checks a CAD permission answers a player who has it and one who has
//     not differently.
// A wrong export name, `.` instead of `:`, a misread result or a wrong framework event fails here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseLua, type Node as LuaNode } from 'luaparse';
import { LuaFactory } from 'wasmoon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../dev/resource-folder';
import { startHarness, type Harness } from '../integration/harness';
import { connectAs, pick } from '../integration/players';
import { createLuaRuntime, type LuaRuntime } from './lua-runtime';

const readme = readFileSync(join(ROOT, 'docs/owner/README.md'), 'utf8');

interface Snippet {
  title: string;
  lang: string;
  code: string;
}

/** Every fenced block, named by the bold line or heading above it. */
function snippets(): Snippet[] {
  const out: Snippet[] = [];
  let title = '';
  let n = 0;
  for (const m of readme.matchAll(/^(?:#{2,4} (.+)|\*\*([^*\n]+)\*\*.*|```(\w+)\n([\s\S]*?)^```)$/gm)) {
    if (m[1] ?? m[2]) title = (m[1] ?? m[2])!.trim();
    else out.push({ title: `${title || 'README'} (block ${++n})`, lang: m[3]!, code: m[4]! });
  }
  return out;
}
const all = snippets();
const lua = all.filter((s) => s.lang === 'lua');
const js = all.filter((s) => s.lang === 'js' || s.lang === 'javascript');

type Framework = 'esx' | 'qbcore' | 'qbox';
/** The framework a snippet is written for: the stand-in resource whose exports it reads. */
function frameworkOf(code: string): Framework | null {
  const found = new Set<Framework>();
  if (/exports\.es_extended\b|exports\[['"]es_extended['"]\]/.test(code)) found.add('esx');
  if (/exports\[['"]qb-core['"]\]/.test(code)) found.add('qbcore');
  if (/exports\.qbx_core\b|exports\[['"]qbx_core['"]\]/.test(code)) found.add('qbox');
  return found.size === 1 ? [...found][0]! : null;
}

const luaFactory = new LuaFactory();
/** The snippet's `REQUIRED` table (job -> permissions), evaluated by Lua itself, or null without one. */
async function requiredOf(code: string): Promise<Record<string, string[]> | null> {
  const ast = parseLua(code, { luaVersion: '5.3', ranges: true }) as unknown as { body: LuaNode[] };
  for (const st of ast.body as unknown as { type: string; variables?: { name?: string }[]; init?: { type: string; range: [number, number] }[] }[]) {
    const at = st.variables?.findIndex((v) => v.name === 'REQUIRED') ?? -1;
    if ((st.type === 'LocalStatement' || st.type === 'AssignmentStatement') && at >= 0 && st.init?.[at]?.type === 'TableConstructorExpression') {
      const [from, to] = st.init[at]!.range;
      const engine = await luaFactory.createEngine({ enableProxy: false, injectObjects: false });
      try {
        const table = (await engine.doString(`return ${code.slice(from, to)}`)) as Record<string, string[] | Record<string, string>>;
        return Object.fromEntries(Object.entries(table).map(([job, perms]) => [job, Object.values(perms)]));
      } finally {
        engine.global.close();
      }
    }
  }
  return null;
}

let h: Harness;
/** Joined players: a CAD officer (police, neither ems nor fire), a civilian (none of police, ems, fire, dispatch), a dispatcher, a stranger. */
const ids = { officer: 0, civilian: 0, dispatcher: 0, stranger: 0 };
let officerUuid = '';

beforeAll(async () => {
  h = await startHarness({ cad: { accounts: 300 } });
  const officer = pick(h.cad, (a) => a.status === 1 && a.permissions.police && !a.permissions.ems && !a.permissions.fire, 'police-only');
  const civilian = pick(h.cad, (a) => a.status === 1 && !a.permissions.police && !a.permissions.ems && !a.permissions.fire && !a.permissions.dispatch, 'civilian');
  const dispatcher = pick(h.cad, (a) => a.status === 1 && a.permissions.dispatch && a.uuid !== officer.uuid, 'dispatch');
  officerUuid = officer.uuid;
  ids.officer = (await connectAs(h.fx, h.cad, officer, 'Officer')).id!;
  ids.civilian = (await connectAs(h.fx, h.cad, civilian, 'Civilian')).id!;
  ids.dispatcher = (await connectAs(h.fx, h.cad, dispatcher, 'Dispatcher')).id!;
  ids.stranger = (await connectAs(h.fx, h.cad, null, 'Stranger')).id!;
}, 60_000);
afterAll(() => h?.close());

const permissionsOf = (id: number) => (h.fx.callExport('sonoran_accounts', 'getPermissions', id) as string[]).map((p) => p.toLowerCase());

interface PlayerState {
  source: number;
  job: string;
  jobs: string[];
  told: number;
}

describe('the owner README has snippets to run', () => {
  it('finds Lua and JavaScript examples', () => {
    expect(lua.length).toBeGreaterThanOrEqual(3);
    expect(js.length).toBeGreaterThanOrEqual(1);
  });
});

describe.each(lua.map((s) => [s.title, s] as const))('Lua snippet "%s"', (_title, snippet) => {
  it('runs in Lua 5.4 against the resource: what it registers works, and job rules hold at login, on job changes and on CAD changes', async () => {
    const rt = await createLuaRuntime(h.fx);
    try {
      await runLuaSnippet(rt, snippet);
    } finally {
      rt.close();
    }
  }, 60_000);
});

async function runLuaSnippet(rt: LuaRuntime, snippet: Snippet) {
  const framework = frameworkOf(snippet.code);
  const required = await requiredOf(snippet.code);
  const players = [ids.officer, ids.civilian, ids.dispatcher, ids.stranger];
  const allowed = (id: number, job: string) => !required?.[job] || required[job]!.some((p) => permissionsOf(id).includes(p.toLowerCase()));
  // From the snippet's own table: a job the officer may hold and the civilian may not (police), one the
  // officer may not hold (ambulance), and one it does not list (open to everyone).
  const ruled = Object.keys(required ?? {});
  const gated = ruled.find((job) => allowed(ids.officer, job) && !allowed(ids.civilian, job));
  const deniedToOfficer = ruled.find((job) => !allowed(ids.officer, job));
  const open = ['mechanic', 'taxi', 'open_job'].find((job) => !ruled.includes(job))!;
  // Everyone starts in a job some CAD permission may not allow.
  const startJob = (id: number) => (id === ids.stranger ? deniedToOfficer ?? ruled[0] : gated ?? ruled[0]) ?? open;
  rt.call('__world_reset', [...ruled, open]);
  for (const id of players) rt.call('__world_add', id, `CID${id}`, startJob(id));

  await rt.run(snippet.code, snippet.title);
  expect(rt.errors, 'loading the snippet').toEqual([]);

  const state = () => rt.call('__world_state') as PlayerState[];
  /** No one holds a job their CAD permissions deny; everyone who lost one since `before` was told. */
  const expectRulesHold = (stage: string, before: PlayerState[]) => {
    expect(rt.errors, stage).toEqual([]);
    for (const p of state()) {
      for (const job of p.jobs) expect(allowed(p.source, job), `${stage}: player ${p.source} still holds ${job} (CAD permissions: ${permissionsOf(p.source).join(', ') || 'none'})`).toBe(true);
      const had = before.find((b) => b.source === p.source)!;
      if (had.jobs.some((job) => !p.jobs.includes(job))) expect(p.told, `${stage}: player ${p.source} lost a job without being told`).toBeGreaterThan(had.told);
    }
  };
  const holds = (id: number, job: string) => state().find((p) => p.source === id)!.jobs.includes(job);

  if (framework !== null && required !== null) {
    // The snippet's own table must exercise the check: a job the officer may hold and the civilian may not.
    expect(gated, `REQUIRED (${JSON.stringify(required)}) has a job the CAD officer may hold and the civilian may not`).toBeDefined();

    let before = state();
    for (const id of players) rt.call('__world_login', framework, id);
    expectRulesHold('at login', before);
    expect(holds(ids.officer, gated!), `the officer keeps ${gated} at login`).toBe(true);
    expect(holds(ids.civilian, gated!), `the civilian loses ${gated} at login`).toBe(false);

    before = state();
    rt.call('__world_give_job', framework, ids.civilian, gated);
    expectRulesHold(`after the civilian was given ${gated}`, before);
    expect(holds(ids.civilian, gated!)).toBe(false);
    rt.call('__world_give_job', framework, ids.civilian, open);
    expect(holds(ids.civilian, open), 'a job REQUIRED does not list is open to everyone').toBe(true);
    if (deniedToOfficer) {
      before = state();
      rt.call('__world_give_job', framework, ids.officer, deniedToOfficer);
      expectRulesHold(`after the officer was given ${deniedToOfficer}`, before);
    }
    rt.call('__world_give_job', framework, ids.officer, gated);
    expect(holds(ids.officer, gated!), `the officer is given ${gated} back and keeps it`).toBe(true);

    // The CAD takes the permissions of that job away from the officer while they play: a real sweep, a
    // real sonoran_accounts:playerUpdated.
    const taken = required[gated!]!.filter((p) => permissionsOf(ids.officer).includes(p.toLowerCase()));
    const flag = (p: string) => Object.keys(h.cad.accounts[0]!.permissions).find((k) => k.toLowerCase() === p.toLowerCase()) as Parameters<typeof h.cad.revoke>[1];
    before = state();
    for (const p of taken) h.cad.revoke(officerUuid, flag(p));
    try {
      expect(((await h.fx.callExport('sonoran_accounts', 'refresh')) as { ok: boolean }).ok).toBe(true);
      expect(allowed(ids.officer, gated!)).toBe(false);
      expectRulesHold(`after the CAD revoked ${taken.join(', ')}`, before);
      expect(holds(ids.officer, gated!), `the officer loses ${gated} when the CAD revokes ${taken.join(', ')}`).toBe(false);
    } finally {
      for (const p of taken) h.cad.grant(officerUuid, flag(p));
      await h.fx.callExport('sonoran_accounts', 'refresh');
    }
  }

  // Every command it registers, as each player (and the console).
  for (const name of rt.commands.keys()) {
    for (const id of [0, ...players]) rt.command(id, name);
  }
  expect(rt.errors, 'handlers and commands').toEqual([]);
}

describe.each(js.map((s, i) => [s.title, s, i] as const))('JavaScript snippet "%s"', (_title, snippet, i) => {
  it('runs as a resource: its commands run for every player, and a permission check tells a holder from a non-holder', async () => {
    const name = `owner_js_snippet_${i}`;
    const errorsBefore = h.fx.unhandledRejections.length;
    await h.fx.startResource({ name, code: snippet.code });
    try {
      expect(h.fx.unhandledRejections.slice(errorsBefore), 'loading').toEqual([]);
      for (const command of h.fx.commandsOf(name)) {
        const chatOf = (id: number) => {
          const before = h.fx.chatOf(id).length;
          h.fx.command(id, command);
          return JSON.stringify(h.fx.chatOf(id).slice(before));
        };
        const answers = Object.fromEntries(Object.entries(ids).map(([who, id]) => [who, chatOf(id)]));
        expect(h.fx.unhandledRejections.slice(errorsBefore), `command ${command}`).toEqual([]);
        // The permissions it checks: a player holding one and a player holding none are told apart.
        for (const m of snippet.code.matchAll(/hasPermission\(\s*\w+\s*,\s*'(\w+)'\s*\)/g)) {
          const holder = Object.entries(ids).find(([, id]) => permissionsOf(id).includes(m[1]!.toLowerCase()));
          const nonHolder = Object.entries(ids).find(([, id]) => !permissionsOf(id).includes(m[1]!.toLowerCase()));
          expect(holder && nonHolder, `players with and without ${m[1]}`).toBeTruthy();
          expect(answers[holder![0]], `${command}: ${holder![0]} (has ${m[1]}) vs ${nonHolder![0]}`).not.toBe(answers[nonHolder![0]]);
        }
      }
    } finally {
      h.fx.stopResource(name);
    }
  });
});
