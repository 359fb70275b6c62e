// The sandbox console's verbs: the resource's own commands, plus connect/drop players, call exports,
// and change the fake CAD (ban, grant, ...) to watch the events after a refresh.
import { statusName } from '../../src/core/account-record';
import type { World } from './world';

type Verb = { usage: string; help: string; run(world: World, args: string[]): Promise<void> | void };

const RESOURCE = 'sonoran_accounts';

function accountOf(world: World, who: string | undefined) {
  if (!world.cad) throw new Error('needs the fake CAD (this sandbox runs against the live API)');
  const key = (who ?? '').toLowerCase();
  const account = world.cad.accounts.find((a) => a.username.toLowerCase() === key || a.uuid === key);
  if (!account) throw new Error(`no fake CAD account "${who}" (try: accounts police)`);
  return account;
}

function parseArg(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const VERBS: Record<string, Verb> = {
  help: {
    usage: 'help',
    help: 'this list',
    run(world) {
      for (const verb of Object.values(VERBS)) world.print(`  ^3${verb.usage.padEnd(40)}^7 ${verb.help}`);
      world.print('  anything else is run as a server console command (cadcheck, cadrefresh, add_ace ...)');
    },
  },
  accounts: {
    usage: 'accounts [police|dispatch|banned|<text>]',
    help: 'list fake CAD accounts (first 15 matches)',
    run(world, [filter]) {
      if (!world.cad) return world.print('running against the live API: use cadcheck and the exports');
      const match = world.cad.accounts.filter((a) =>
        filter === undefined ? true : filter === 'banned' ? a.status === 4 : filter in a.permissions ? a.permissions[filter as 'police'] === true && a.status === 1 : a.username.toLowerCase().includes(filter.toLowerCase()),
      );
      for (const a of match.slice(0, 15)) world.print(`  ${a.username.padEnd(22)} ${statusName(a.status).padEnd(8)} ${Object.entries(a.permissions).filter(([, v]) => v).map(([k]) => k).slice(0, 6).join(',')}`);
      world.print(`  ${match.length} match(es)`);
    },
  },
  connect: {
    usage: 'connect <username> | connect --ids <id> <id>...',
    help: "connect a player: the owner of a fake CAD account, or one with the identifiers given",
    async run(world, args) {
      const identifiers = args[0] === '--ids' ? args.slice(1) : world.cad!.identitiesOf(accountOf(world, args[0]).uuid);
      const name = args[0] === '--ids' ? 'Guest' : args[0]!;
      const result = await world.fx.connectPlayer({ name, identifiers: [...identifiers, 'ip:127.0.0.1'] });
      for (const u of result.updates) world.print(`  deferral: ${u}`);
      for (const v of result.violations) world.print(`  ^1tick-rule violation: ${v}^7`);
      world.print(result.accepted ? `  ^2${name} joined as player ${result.id}^7` : `  ^1${name} rejected: ${result.reason}^7`);
    },
  },
  drop: {
    usage: 'drop <playerId>',
    help: 'disconnect a player',
    run(world, [id]) {
      world.fx.dropPlayer(Number(id), 'Disconnected.');
      world.print(`  player ${id} dropped`);
    },
  },
  players: {
    usage: 'players',
    help: 'connected player ids',
    run(world) {
      world.print(`  ${world.fx.players().join(', ') || 'nobody'}`);
    },
  },
  export: {
    usage: 'export <name> [json args...]',
    help: 'call an export as another resource would: export hasPermission 1 "police"',
    async run(world, [name, ...args]) {
      const result = await world.fx.callExport(RESOURCE, name!, ...args.map(parseArg));
      world.print(`  ${JSON.stringify(result, null, 2).split('\n').join('\n  ')}`);
    },
  },
  ban: { usage: 'ban <username>', help: 'ban on the fake CAD (then: cadrefresh)', run: (w, [u]) => void (w.cad!.ban(accountOf(w, u).uuid), w.print(`  ${u} banned on the CAD`)) },
  unban: { usage: 'unban <username>', help: 'unban on the fake CAD', run: (w, [u]) => void (w.cad!.unban(accountOf(w, u).uuid), w.print(`  ${u} unbanned on the CAD`)) },
  grant: {
    usage: 'grant <username> <permission>',
    help: 'grant a CAD permission on the fake CAD',
    run: (w, [u, p]) => void (w.cad!.grant(accountOf(w, u).uuid, p as 'police'), w.print(`  ${p} granted to ${u} on the CAD`)),
  },
  revoke: {
    usage: 'revoke <username> <permission>',
    help: 'revoke a CAD permission on the fake CAD',
    run: (w, [u, p]) => void (w.cad!.revoke(accountOf(w, u).uuid, p as 'police'), w.print(`  ${p} revoked from ${u} on the CAD`)),
  },
};

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
  const [verb, ...args] = line.trim().match(/"[^"]*"|\S+/g) ?? [];
  if (!verb) return;
  const clean = args.map((a) => (a.startsWith('"') && verb !== 'export' ? a.slice(1, -1) : a));
  const handler = VERBS[verb.toLowerCase()];
  try {
    if (handler) await handler.run(world, clean);
    else world.fx.command(0, line);
  } catch (err) {
    world.print(`  ^1${(err as Error).message}^7`);
  }
}
