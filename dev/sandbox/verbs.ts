// The sandbox console's verbs: the resource's own commands, plus connect/drop players, call exports,
// and change the fake CAD (ban, grant, ...) to watch the events after a refresh. A verb missing an
// argument prints its usage; a verb that cannot apply (a player who is not online, a flag the account
// does not have, the live CAD) says so instead of reporting a success that did not happen.
import { statusName } from '../../src/core/account-record';
import { PERMISSIONS } from '../../src/core/permissions';
import type { FakeAccount, FakeCad } from '../fake-cad';
import { parseJsonArgs } from './args';
import { JOB_CENTRE, type World } from './world';

type Verb = { usage: string; help: string; run(world: World, args: string[], rest: string): Promise<void> | void };
type Permission = keyof FakeAccount['permissions'];

const RESOURCE = 'sonoran_accounts';
const SHOWN_PERMISSIONS = 6;

class UsageError extends Error {}

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
    run(world) {
      for (const verb of Object.values(VERBS)) world.print(`  ^3${verb.usage.padEnd(44)}^7 ${verb.help}`);
      world.print('  anything else is run as a server console command (cadcheck, cadrefresh, add_ace ...)');
      world.print(`  ${EVENT_NOTE}`);
    },
  },
  accounts: {
    usage: 'accounts [police|dispatch|banned|<text>]',
    help: 'list fake CAD accounts (first 15 matches)',
    run(world, [filter]) {
      if (!world.cad) return world.print('  running against the live API: use cadcheck and the exports');
      const match = world.cad.accounts.filter((a) =>
        filter === undefined ? true : filter === 'banned' ? a.status === 4 : filter in a.permissions ? a.permissions[filter as Permission] === true && a.status === 1 : a.username.toLowerCase().includes(filter.toLowerCase()),
      );
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
    run(world, [id]) {
      const player = onlinePlayer(world, need(id, this.usage));
      world.fx.dropPlayer(player, 'Disconnected.');
      world.print(`  player ${player} (${world.names.get(player) ?? '?'}) dropped`);
    },
  },
  players: {
    usage: 'players',
    help: 'who is online: id, name, CAD account, in-game permissions',
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
    async run(world, [id, job, grade]) {
      const usage = this.usage;
      const player = onlinePlayer(world, need(id, usage));
      const name = need(job, usage);
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
    run: changeCad('ban', (cad, a) => (a.status === 4 ? `${a.username} is already banned on the CAD; nothing changed` : (cad.ban(a.uuid), `${a.username} banned on the CAD`))),
  },
  unban: {
    usage: 'unban <username>',
    help: 'unban on the fake CAD (the account becomes active)',
    run: changeCad('unban', (cad, a) => (a.status !== 4 ? `${a.username} is not banned (${statusName(a.status)}); nothing changed` : (cad.unban(a.uuid), `${a.username} unbanned on the CAD`))),
  },
  grant: {
    usage: 'grant <username> <permission>',
    help: 'grant a CAD permission on the fake CAD',
    run: changeCad('grant', (cad, a, p) => (a.permissions[p!] ? `${a.username} already has ${p} on the CAD; nothing changed` : (cad.grant(a.uuid, p!), `${p} granted to ${a.username} on the CAD`)), true),
  },
  revoke: {
    usage: 'revoke <username> <permission>',
    help: 'revoke a CAD permission on the fake CAD',
    run: changeCad('revoke', (cad, a, p) => (!a.permissions[p!] ? `${a.username} does not have ${p} on the CAD; nothing changed` : (cad.revoke(a.uuid, p!), `${p} revoked from ${a.username} on the CAD`)), true),
  },
  clear: {
    usage: 'clear',
    help: 'clear the screen',
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
    if (handler) await handler.run(world, clean, trimmed.slice(verb.length));
    else world.fx.command(0, trimmed);
  } catch (err) {
    world.print(err instanceof UsageError ? `  usage: ${err.message}` : `  ^1${(err as Error).message}^7`);
  }
}
