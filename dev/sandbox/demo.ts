// What `npm start` does without a terminal (CI): a short scripted tour that shows every piece working.
// It exits non-zero when something a server owner would notice did not happen.
import { runLine } from './verbs';
import { waitReady, type World } from './world';

export async function runDemo(world: World): Promise<number> {
  const say = (text: string) => world.print(`\n^2> ${text}^7`);
  const step = async (line: string) => {
    world.print(`^3sandbox>^7 ${line}`);
    await runLine(world, line);
  };
  if (!(await waitReady(world))) return 1;
  if (!world.cad) {
    say('live API: the cache is filled; what it holds:');
    await step('export getCacheInfo');
    return 0;
  }
  const officer = world.cad.accounts.find((a) => a.status === 1 && a.permissions.police)!;
  const banned = world.cad.accounts.find((a) => a.status === 4)!;
  // With several servers only the lease holder sweeps the CAD; server 1 then loads its version.
  const holder = world.shared ? await until(() => world.shared!.holder(), 20_000) : null;
  const refresh = async () => {
    if (holder !== null && holder !== 1) await step(`on ${holder} export refresh`);
    await step('export refresh');
  };

  say('a police officer connects, then checks themselves');
  await step(`connect ${officer.username}`);
  await step('export hasPermission 1 "police"');
  await step('as 1 cadcheck');
  await step('setjob 1 police 1');

  say('a banned CAD account tries to connect');
  await step(`connect ${banned.username}`);

  say('someone with no CAD account connects');
  await step('connect --ids license:0000000000000000000000000000000000000000 discord:1');
  await step('cadcheck');

  say('the CAD revokes the officer\'s police flag; a refresh tells job scripts and takes the police job');
  await step(`revoke ${officer.username} police`);
  await refresh();
  await step('export hasPermission 1 "police"');

  say('the CAD bans the officer while online: dropped at the next sweep');
  await step(`ban ${officer.username}`);
  await refresh();
  await step('players');

  if (world.shared) {
    say(`the ban reaches the other ${world.shared.count - 1} servers through the shared database`);
    for (let n = 2; n <= world.shared.count; n++) {
      const started = Date.now();
      const seen = await until(async () => {
        const account = (await world.shared!.other(n).exportCall('getAccountByApiId', officer.username)) as { statusName?: string } | null;
        return account?.statusName === 'banned' ? true : null;
      }, 30_000);
      if (!seen) {
        world.print(`^1  [server ${n}] ${officer.username} is still not banned there after 30 s^7`);
        return 1;
      }
      world.print(`  [server ${n}] ${officer.username} is banned here (seen ${((Date.now() - started) / 1000).toFixed(1)} s after server 1)`);
    }
  }
  say('that was the scripted demo; for the interactive console: run npm start in a terminal (help lists the verbs)');
  return 0;
}

/** The first non-null answer of `probe`, polled every 200 ms, or null after `ms`. */
async function until<T>(probe: () => T | null | Promise<T | null>, ms: number): Promise<T | null> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== null || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}
