// `npm start`: the resource in the FXServer emulator, on the embedded fake CAD (or the live API when
// SONORAN_API_KEY is set), with an interactive console; without a terminal, a scripted demo.
// SANDBOX_CONFIG=<file> starts it with that config.json instead of the repository's.
import { runConsole } from './console';
import { runDemo } from './demo';
import { EVENT_ECHO, EVENT_NOTE } from './verbs';
import { liveCredentials, startWorld, waitReady, type World } from './world';

async function main(): Promise<number> {
  const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const live = liveCredentials(process.env);
  const accounts = Number(process.env.SANDBOX_ACCOUNTS) || undefined; // e.g. 5000 to watch a long, paced sweep
  const servers = Number(process.env.SANDBOX_SERVERS) || undefined; // e.g. 3: servers sharing a private MariaDB
  const framework = process.env.SANDBOX_FRAMEWORK || undefined; // esx (default), qbcore, qbox or ox
  const world = await startWorld({ live, tty, accounts, configPath: process.env.SANDBOX_CONFIG || undefined, servers, framework });
  // Ctrl+C before the console owns the terminal (while waiting for the first sweep) still cleans up.
  process.once('SIGINT', () => void closeQuietly(world).then(() => process.exit(130)));
  try {
    await world.fx.startResource({ name: 'sandbox_events', code: EVENT_ECHO });
    world.print(live ? `^2sandbox: live Sonoran API v${live.apiVersion} at ${live.apiUrl} (read-only)^7` : `^2sandbox: fake Sonoran CAD at ${world.cad!.url} with ${world.cad!.accounts.length} accounts^7`);
    world.print(`^9sandbox: ${EVENT_NOTE}^7`);
    if (!tty) return await runDemo(world);
    await waitReady(world);
    world.print('type ^3help^7 for the verbs, ^3quit^7 (or Ctrl+C) to leave');
    await runConsole(world, process.stdin, process.stdout, true);
    return 0;
  } finally {
    await closeQuietly(world);
  }
}

async function closeQuietly(world: World) {
  try {
    await world.close();
  } catch (err) {
    console.error(`sandbox: while closing: ${(err as Error).message}`);
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    // A message an owner can act on; the stack only on request.
    console.error(`sandbox: ${err.message}${process.env.SANDBOX_DEBUG ? `\n${err.stack}` : ' (SANDBOX_DEBUG=1 shows the stack)'}`);
    process.exit(1);
  },
);
