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
  await step('export refresh');
  await step('export hasPermission 1 "police"');

  say('the CAD bans the officer while online: dropped at the next sweep');
  await step(`ban ${officer.username}`);
  await step('export refresh');
  await step('players');
  return 0;
}
