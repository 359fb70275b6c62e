// A sandbox console session for tests: every line goes through runConsole (the same readline loop
// `npm start` runs on a terminal) and the answer is read from what it writes back.
import { PassThrough } from 'node:stream';
import { expect } from 'vitest';
import type { FakeCad } from '../../dev/fake-cad';
import { PROMPT, runConsole } from '../../dev/sandbox/console';
import { EVENT_ECHO } from '../../dev/sandbox/verbs';
import { startWorld, waitReady, type World } from '../../dev/sandbox/world';
import { waitFor } from '../integration/harness';

export interface Session {
  world: World;
  input: PassThrough;
  text(): string;
  /** Types a line and returns everything printed until the console prompts again. */
  send(line: string): Promise<string>;
  close(): Promise<void>;
}

export async function openSession(opts: { live?: FakeCad; terminal?: boolean; servers?: number } = {}): Promise<Session> {
  let text = '';
  const output = new PassThrough();
  // Cursor moves and line clears of terminal mode are dropped: the test reads what the user sees.
  output.on('data', (chunk: Buffer) => (text += chunk.toString().replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')));
  const input = new PassThrough();
  const live = opts.live ? { communityId: opts.live.communityId, apiKey: opts.live.apiKey, apiVersion: '1', apiUrl: opts.live.url } : null;
  const world = await startWorld({ live, tty: false, accounts: 40, servers: opts.servers, write: (line) => (text += `${line}\n`) });
  await world.fx.startResource({ name: 'sandbox_events', code: EVENT_ECHO });
  expect(await waitReady(world, 30_000)).toBe(true);
  const done = runConsole(world, input, output, opts.terminal ?? false);
  await waitFor(() => text.endsWith(PROMPT), 'first prompt', 5_000);
  return {
    world,
    input,
    text: () => text,
    async send(line) {
      const from = text.length;
      input.write(`${line}\n`);
      await waitFor(() => text.length > from + PROMPT.length && text.endsWith(PROMPT), `prompt after "${line}"`, 20_000);
      return text.slice(from);
    },
    async close() {
      input.end('quit\n');
      await done;
      await world.close();
    },
  };
}
