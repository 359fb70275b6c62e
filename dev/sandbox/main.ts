// `npm start`: the resource in the FXServer emulator, on the embedded fake CAD (or the live API when
// SONORAN_API_KEY is set), with an interactive console; without a terminal, a scripted demo.
import { createInterface } from 'node:readline';
import { runDemo } from './demo';
import { EVENT_ECHO, runLine } from './verbs';
import { liveCredentials, startWorld, waitReady } from './world';

async function main() {
  const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const live = liveCredentials(process.env);
  const accounts = Number(process.env.SANDBOX_ACCOUNTS) || undefined; // e.g. 5000 to watch a long, paced sweep
  const world = await startWorld({ live, tty, accounts });
  await world.fx.startResource({ name: 'sandbox_events', code: EVENT_ECHO });
  world.print(live ? `^2sandbox: live Sonoran API v${live.apiVersion} at ${live.apiUrl} (read-only)^7` : `^2sandbox: fake Sonoran CAD at ${world.cad!.url} with ${world.cad!.accounts.length} accounts^7`);

  if (!tty) {
    const code = await runDemo(world);
    await world.close();
    process.exit(code);
  }

  await waitReady(world);
  world.print('type ^3help^7 for the verbs, ^3quit^7 to leave');
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: 'sandbox> ' });
  rl.prompt();
  for await (const line of rl) {
    if (/^(quit|exit)$/i.test(line.trim())) break;
    await runLine(world, line);
    rl.prompt();
  }
  rl.close();
  await world.close();
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
