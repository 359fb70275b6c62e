// The sandbox console's verbs: the resource's own commands, plus connect/drop players, call exports,
// and change the fake CAD (ban, grant, ...) to watch the events after a refresh. A verb missing an
// argument prints its usage; a verb that cannot apply (a player who is not online, a flag the account
// does not have, the live CAD) says so instead of reporting a success that did not happen.
import { statusName } from '../../src/core/account-record';
import { PERMISSIONS } from '../../src/core/permissions';
import type { FakeAccount, FakeCad } from '../fake-cad';
import { parseJsonArgs } from './args';
import { JOB_CENTRE, type SharedServers, type World } from './world';

type Verb = {
  usage: string;
  help: string;
  /** Most arguments the verb takes (absent: any number); more is refused, never silently dropped. */
  max?: number;
  run(world: World, args: string[], rest: string): Promise<void> | void;
};
type Permission = keyof FakeAccount['permissions'];

const RESOURCE = 'sonoran_accounts';
/** Status names by code (0-4), as statusName() gives them. */
const STATUS_NAMES = [0, 1, 2, 3, 4].map(statusName);
const SHOWN_PERMISSIONS = 6;

class UsageError extends Error {
  constructor(usage: string, readonly tooMany = false) {
    super(usage);
  }
}

function need(value: string | undefined, verb: string): string {
  if (value === undefined || value === '') throw new UsageError(verb);
  return value;
}

function fakeCad(world: World, what: string): FakeCad {
  if (!world.cad) throw new Error(`${what} changes the embedded fake CAD; this sandbox reads the live API, which it never changes`);
  return world.cad;
}

function accountOf(cad: FakeCad, who: string) {
  const key = who.toLowerCase();
  const account = cad.accounts.find((a) => a.username.toLowerCase() === key || a.uuid === key);
  if (!account) throw new Error(`no fake CAD account "${who}" (try: accounts police)`);
  return account;
}

function permissionName(text: string): Permission {
  const known = PERMISSIONS.find((p) => p.toLowerCase() === text.toLowerCase());
  if (!known) throw new Error(`"${text}" is not a Sonoran CAD permission (e.g. police, dispatch, ems, fire, admin, civilian)`);
  return known as Permission;
}

/** `pending`, `Banned`: that status; `police`, `Police`: active accounts with that flag; anything else: in the username. */
function accountFilter(filter: string | undefined): (a: FakeAccount) => boolean {
  if (filter === undefined) return () => true;
  const lower = filter.toLowerCase();
  const status = STATUS_NAMES.indexOf(lower);
  if (status >= 0) return (a) => a.status === status;
  const flag = PERMISSIONS.find((p) => p.toLowerCase() === lower) as Permission | undefined;
  if (flag) return (a) => a.status === 1 && a.permissions[flag] === true;
  return (a) => a.username.toLowerCase().includes(lower);
}

function flagsOf(account: FakeAccount): string {
  const flags = Object.entries(account.permissions).filter(([, v]) => v).map(([k]) => k);
  const more = flags.length - SHOWN_PERMISSIONS;
  return flags.slice(0, SHOWN_PERMISSIONS).join(',') + (more > 0 ? `,… +${more}` : '');
}

function onlinePlayer(world: World, text: string): number {
  const id = Number(text);
  const online = world.fx.players();
  if (!Number.isInteger(id) || !online.includes(id)) {
    throw new Error(`no player ${text} is online (online: ${online.join(', ') || 'nobody'})`);
  }
  return id;
}

function sharedOf(world: World): SharedServers {
  if (!world.shared) throw new Error('only with several servers: SANDBOX_SERVERS=3 npm start');
  return world.shared;
}

function serverNumber(world: World, text: string): number {
  const count = world.shared?.count ?? 1;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > count) throw new Error(`no server ${text} (servers: ${count === 1 ? '1' : `1-${count}`})`);
  return n;
}

function runningOther(world: World, n: number) {
  const shared = sharedOf(world);
  if (shared.state.get(n) !== 'running') throw new Error(`server ${n} is ${shared.state.get(n)}`);
  return shared.other(n);
}

function holderOf(shared: SharedServers): number {
  const n = shared.holder();
  if (n === null) throw new Error('no running server has said it holds the sweep lease yet (servers shows them)');
  return n;
}

/** The server a stop/kill names: a number, or `holder` (whoever holds the sweep lease now). */
function targetServer(world: World, which: string | undefined, usage: string): { shared: SharedServers; n: number } {
  const shared = sharedOf(world);
  return { shared, n: which === 'holder' ? holderOf(shared) : serverNumber(world, need(which, usage)) };
}

const changeCad = (what: string, change: (cad: FakeCad, account: FakeAccount, permission?: Permission) => string, withPermission = false): Verb['run'] =>
  (world, [who, perm]) => {
    const usage = withPermission ? `${what} <username> <permission>` : `${what} <username>`;
    const account = accountOf(fakeCad(world, what), need(who, usage));
    const permission = withPermission ? permissionName(need(perm, usage)) : undefined;
    world.print(`  ${change(world.cad!, account, permission)}`);
  };

export const VERBS: Record<string, Verb> = {
  help: {
    usage: 'help',
    help: 'this list',
    max: 0,
    run(world) {
      for (const verb of Object.values(VERBS)) world.print(`  ^3${verb.usage.padEnd(44)}^7 ${verb.help}`);
      world.print(`  ^3${'quit'.padEnd(44)}^7 leave the sandbox (or Ctrl+C)`);
      world.print('  anything else is run as a server console command (cadcheck, cadrefresh, add_ace, set ...)');
      world.print(`  ${EVENT_NOTE}`);
    },
  },
  accounts: {
    usage: 'accounts [<status>|<flag>|<text>]',
    help: 'list fake CAD accounts (first 15): by status (active, pending, banned...), active ones by flag (police, dispatch...), or by name',
    max: 1,
    run(world, [filter]) {
      if (!world.cad) return world.print('  running against the live API: use cadcheck and the exports');
      const match = world.cad.accounts.filter(accountFilter(filter));
      for (const a of match.slice(0, 15)) world.print(`  ${a.username.padEnd(22)} ${statusName(a.status).padEnd(8)} ${flagsOf(a)}`);
      world.print(`  ${match.length} match(es)`);
    },
  },
  connect: {
    usage: 'connect <username> | connect --ids <id> <id>...',
    help: 'connect a player: the owner of a fake CAD account, or one with the identifiers given',
    async run(world, args) {
      const usage = this.usage;
      const byIds = args[0] === '--ids';
      if (byIds && args.length < 2) throw new UsageError(usage);
      if (!byIds && args.length > 1) throw new UsageError(usage, true);
      const who = byIds ? 'Guest' : need(args[0], usage);
      if (!byIds && !world.cad) throw new Error('against the live API the sandbox cannot know a CAD user\'s game identifiers: use connect --ids license:... discord:...');
      const identifiers = byIds ? args.slice(1) : world.cad!.identitiesOf(accountOf(world.cad!, who).uuid);
      await world.holdResourceOutput(async () => {
        const result = await world.fx.connectPlayer({ name: who, identifiers: [...identifiers, 'ip:127.0.0.1'] });
        for (const u of result.updates) world.print(`  deferral: ${u}`);
        for (const v of result.violations) world.print(`  ^1tick-rule violation: ${v}^7`);
        if (result.accepted) world.names.set(result.id!, who);
        world.print(result.accepted ? `  ^2${who} joined as player ${result.id}^7` : `  ^1${who} rejected: ${result.reason}^7`);
        // Their character loads (the framework's login event), without a job: `setjob` gives one.
        if (result.accepted) world.framework.login(result.id!, 'unemployed');
      });
    },
  },
  drop: {
    usage: 'drop <playerId>',
    help: 'disconnect a player',
    max: 1,
    run(world, [id]) {
      const player = onlinePlayer(world, need(id, this.usage));
      world.fx.dropPlayer(player, 'Disconnected.');
      world.print(`  player ${player} (${world.names.get(player) ?? '?'}) dropped`);
    },
  },
  players: {
    usage: 'players',
    help: 'who is online: id, name, CAD account, in-game permissions',
    max: 0,
    run(world) {
      const online = world.fx.players();
      if (online.length === 0) return world.print('  nobody online');
      for (const id of online) {
        const account = world.fx.callExport(RESOURCE, 'getAccount', id) as { username: string; statusName: string } | null;
        const granted = world.fx.callExport(RESOURCE, 'getPermissions', id) as string[];
        const cad = account ? `${account.username} (${account.statusName})` : 'no CAD account';
        world.print(`  ${String(id).padEnd(4)} ${(world.names.get(id) ?? '?').padEnd(22)} ${cad.padEnd(32)} ${granted.join(',') || '-'}`);
      }
    },
  },
  as: {
    usage: 'as <playerId> <command...>',
    help: 'run a command as that player, e.g. as 1 cadcheck; prints the chat they get',
    async run(world, [id, ...words]) {
      const player = onlinePlayer(world, need(id, this.usage));
      const command = need(words.join(' '), this.usage);
      const before = world.fx.chatOf(player).length;
      world.fx.command(player, command);
      await world.fx.nextTick();
      const replies = world.fx.chatOf(player).slice(before) as { args?: unknown[] }[];
      for (const reply of replies) world.print(`  chat to player ${player}: ${(reply.args ?? []).join(': ')}`);
      if (replies.length === 0) world.print(`  (no chat message to player ${player})`);
    },
  },
  export: {
    usage: 'export <name> [json args...]',
    help: 'call an export as another resource would: export hasAnyPermission 1 ["ems", "police"]',
    async run(world, [name], rest) {
      need(name, this.usage);
      const args = parseJsonArgs(rest.trim().slice(name!.length));
      const result = await world.fx.callExport(RESOURCE, name!, ...args);
      world.print(`  ${JSON.stringify(result, null, 2) ?? 'nil'}`.split('\n').join('\n  '));
    },
  },
  setjob: {
    usage: 'setjob <playerId> <job> [grade]',
    help: 'a job centre sets a job through the framework (police, sheriff, ambulance, mechanic...); shows what the player holds after',
    max: 3,
    async run(world, [id, job, grade]) {
      const usage = this.usage;
      const player = onlinePlayer(world, need(id, usage));
      const name = need(job, usage);
      if (grade !== undefined && !/^\d{1,3}$/.test(grade)) throw new UsageError(usage);
      await world.holdResourceOutput(async () => {
        await world.fx.callExport(JOB_CENTRE, 'hire', player, name, grade === undefined ? undefined : Number(grade));
        for (let i = 0; i < 3; i++) await world.fx.nextTick(); // an async framework (ox_core) answers later
      });
      const held = world.framework.jobsOf(player);
      world.print(`  player ${player} (${world.names.get(player) ?? '?'}) holds in ${world.framework.resource}: ${held === null ? 'no character' : held.join(', ') || 'no job'}`);
    },
  },
  ban: {
    usage: 'ban <username>',
    help: 'ban on the fake CAD (then: cadrefresh)',
    max: 1,
    run: changeCad('ban', (cad, a) => (a.status === 4 ? `${a.username} is already banned on the CAD; nothing changed` : (cad.ban(a.uuid), `${a.username} banned on the CAD`))),
  },
  unban: {
    usage: 'unban <username>',
    help: 'unban on the fake CAD (the account becomes active)',
    max: 1,
    run: changeCad('unban', (cad, a) => (a.status !== 4 ? `${a.username} is not banned (${statusName(a.status)}); nothing changed` : (cad.unban(a.uuid), `${a.username} unbanned on the CAD`))),
  },
  grant: {
    usage: 'grant <username> <permission>',
    help: 'grant a CAD permission on the fake CAD',
    max: 2,
    run: changeCad('grant', (cad, a, p) => (a.permissions[p!] ? `${a.username} already has ${p} on the CAD; nothing changed` : (cad.grant(a.uuid, p!), `${p} granted to ${a.username} on the CAD`)), true),
  },
  revoke: {
    usage: 'revoke <username> <permission>',
    help: 'revoke a CAD permission on the fake CAD',
    max: 2,
    run: changeCad('revoke', (cad, a, p) => (!a.permissions[p!] ? `${a.username} does not have ${p} on the CAD; nothing changed` : (cad.revoke(a.uuid, p!), `${p} revoked from ${a.username} on the CAD`)), true),
  },
  servers: {
    usage: 'servers',
    help: 'SANDBOX_SERVERS=N: each server, running or stopped, which one holds the sweep lease, the database',
    max: 0,
    run(world) {
      const shared = sharedOf(world);
      for (const [n, state] of shared.state) world.print(`  ${String(n).padEnd(3)}${state.padEnd(9)}${shared.holder() === n ? 'holds the sweep lease' : ''}`);
      world.print(`  database 127.0.0.1:${shared.db.port} ${shared.db.running ? 'running' : 'cut (db restore brings it back)'}`);
    },
  },
  on: {
    usage: 'on <server> <export ...|connect <username>>',
    help: 'run export or connect on server N (on 1: any verb), e.g. on 2 export getCacheInfo',
    async run(world, [which, verb, ...rest], raw) {
      const n = serverNumber(world, need(which, this.usage));
      const line = raw.trim().slice(which!.length).trim();
      need(verb, this.usage);
      if (n === 1) return runLine(world, line);
      const other = runningOther(world, n);
      if (verb === 'export') {
        const name = need(rest[0], this.usage);
        const result = await other.exportCall(name, ...parseJsonArgs(line.slice('export'.length).trim().slice(name.length)));
        return world.print(`  [server ${n}] ${JSON.stringify(result, null, 2) ?? 'nil'}`.split('\n').join('\n  '));
      }
      if (verb === 'connect') {
        if (rest.length !== 1) throw new UsageError(this.usage, rest.length > 1);
        const account = accountOf(fakeCad(world, 'connect <username>'), rest[0]!);
        const result = await other.connect(account.username, [...world.cad!.identitiesOf(account.uuid), 'ip:127.0.0.1']);
        return world.print(result.accepted ? `  [server ${n}] ${account.username} joined as player ${result.id}` : `  [server ${n}] ${account.username} rejected: ${result.reason}`);
      }
      throw new Error(`server ${n} runs in a process of its own: on ${n} takes export or connect (on 1 takes any verb)`);
    },
  },
  stop: {
    usage: 'stop <server|holder>',
    help: 'stop the resource on a server (a clean stop: the lease goes to another server at once)',
    max: 1,
    async run(world, [which]) {
      const { shared, n } = targetServer(world, which, this.usage);
      if (shared.state.get(n) !== 'running') throw new Error(`server ${n} is already ${shared.state.get(n)}`);
      if (n === 1) world.fx.stopResource(RESOURCE);
      else await shared.other(n).stopResource();
      shared.state.set(n, 'stopped');
      world.print(`  server ${n} stopped${n === 1 ? ' (this console\'s exports and commands no longer answer)' : ''}`);
    },
  },
  kill: {
    usage: 'kill <server|holder>',
    help: 'kill a server\'s process (a crash: another server takes the lease after leaseSeconds)',
    max: 1,
    async run(world, [which]) {
      const { shared, n } = targetServer(world, which, this.usage);
      if (n === 1) throw new Error('server 1 runs this console and cannot be killed from it: use stop 1, or kill another server');
      if (shared.state.get(n) === 'killed') throw new Error(`server ${n} is already killed`);
      await shared.other(n).kill();
      shared.state.set(n, 'killed');
      world.print(`  server ${n} killed`);
    },
  },
  db: {
    usage: 'db <cut|restore>',
    help: 'cut the shared MariaDB (every server runs alone) or bring it back (they rejoin)',
    max: 1,
    async run(world, [what]) {
      const { db } = sharedOf(world);
      if (what === 'cut') {
        if (!db.running) throw new Error('the database is already cut');
        await db.stop('SIGKILL');
        return world.print('  database cut: the servers notice at their next poll');
      }
      if (what === 'restore') {
        if (db.running) throw new Error('the database is running');
        await db.start();
        return world.print('  database back: the servers rejoin at their next poll');
      }
      throw new UsageError(this.usage);
    },
  },
  clear: {
    usage: 'clear',
    help: 'clear the screen',
    max: 0,
    run(world) {
      if (world.tty) process.stdout.write('\x1b[2J\x1b[3J\x1b[H');
      else world.print('  (clear only works on a terminal)');
    },
  },
};

/** Said once at start and in help: the echoed events are shortened, and how to see them whole. */
export const EVENT_NOTE =
  'event lines are shortened: an account shows as "username (status)", a summary\'s changes as their count (export getAccount <id> and export refresh show them whole)';

/** Events other resources would hear, echoed so the sandbox user sees them fire. */
export const EVENT_ECHO = `
// Accounts as "name (status)" and summaries with a change count, so a line shows what changed.
const brief = (v) =>
  v && typeof v === 'object' && 'uuid' in v ? v.username + ' (' + v.statusName + ')'
  : v && typeof v === 'object' && Array.isArray(v.changes) ? { ...v, changes: v.changes.length }
  : v;
for (const name of ['ready', 'refreshed', 'refreshFailed', 'playerLinked', 'playerUpdated']) {
  on('sonoran_accounts:' + name, (...args) => console.log('^5event sonoran_accounts:' + name + '^7 ' + JSON.stringify(args.map(brief))));
}`;

export async function runLine(world: World, line: string): Promise<void> {
  const trimmed = line.trim();
  const [verb, ...args] = trimmed.match(/"[^"]*"|\S+/g) ?? [];
  if (!verb) return;
  const clean = args.map((a) => (a.startsWith('"') ? a.slice(1, -1) : a));
  const handler = VERBS[verb.toLowerCase()];
  try {
    if (handler && handler.max !== undefined && clean.length > handler.max) throw new UsageError(handler.usage, true);
    if (handler) await handler.run(world, clean, trimmed.slice(verb.length));
    // As typed at FXServer's console: its built-ins (add_ace, set, ...) and every registered command.
    else {
      const before = world.fx.consoleLines.length;
      world.fx.exec(trimmed);
      await world.fx.nextTick();
      // add_ace, set ... print nothing on FXServer either; say it ran rather than leave a silent prompt.
      if (world.fx.consoleLines.length === before) world.print('  (ran as a server console command; it printed nothing)');
    }
  } catch (err) {
    if (!(err instanceof UsageError)) world.print(`  ^1${(err as Error).message}^7`);
    else world.print(err.tooMany ? `  too many arguments; usage: ${err.message}` : `  usage: ${err.message}`);
  }
}
