// `npm start`: the resource in the FXServer emulator, on the embedded fake CAD (or the live API when
// SONORAN_API_KEY is set), with an interactive console; without a terminal, a scripted demo.
// SANDBOX_CONFIG=<file> starts it with that config.json instead of the repository's.
import { runConsole } from './console';
import { runDemo } from './demo';
import { choiceFromEnv, countFromEnv } from './env';
import { EVENT_ECHO, EVENT_NOTE } from './verbs';
import { FRAMEWORK_NAMES, liveCredentials, startWorld, waitReady, type World } from './world';

/** Exit codes of a process ended by a signal, as a shell reports them (128 + the signal's number). */
const SIGNALS = { SIGINT: 130, SIGHUP: 129, SIGTERM: 143 } as const;

async function main(): Promise<number> {
  const tty = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const live = liveCredentials(process.env);
  const accounts = countFromEnv('SANDBOX_ACCOUNTS', process.env.SANDBOX_ACCOUNTS, 1, 200_000); // e.g. 5000 to watch a long, paced sweep
  const servers = countFromEnv('SANDBOX_SERVERS', process.env.SANDBOX_SERVERS, 1, 8); // e.g. 3: servers sharing a private MariaDB
  const framework = choiceFromEnv('SANDBOX_FRAMEWORK', process.env.SANDBOX_FRAMEWORK, FRAMEWORK_NAMES); // esx (default), qbcore, qbox or ox
  // Ctrl+C, a closed terminal (SIGHUP) or a kill (SIGTERM), even while the world is still starting: the
  // servers, their MariaDB (mariadbd) and the temp folders go with the sandbox.
  let world: World | null = null;
  let signalled: number | null = null;
  for (const [signal, code] of Object.entries(SIGNALS)) {
    process.once(signal, () => {
      signalled = code;
      if (world) void closeQuietly(world).then(() => process.exit(code));
    });
  }
  world = await startWorld({ live, tty, accounts, configPath: process.env.SANDBOX_CONFIG || undefined, servers, framework });
  if (signalled !== null) {
    await closeQuietly(world);
    return signalled;
  }
  try {
    await world.fx.startResource({ name: 'sandbox_events', code: EVENT_ECHO });
    world.print(live ? `^2sandbox: live Sonoran API v${live.apiVersion} at ${live.apiUrl} (read-only)^7` : `^2sandbox: fake Sonoran CAD at ${world.cad!.url} with ${world.cad!.accounts.length} accounts^7`);
    world.print(`^9sandbox: ${EVENT_NOTE}^7`);
    if (!tty) {
      world.print('^9sandbox: no terminal, so a short scripted demo runs (for the interactive console: run npm start in a terminal)^7');
      return await runDemo(world);
    }
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
