// The interactive console of `npm start`. One command runs at a time: while it runs, input is paused,
// so lines typed ahead are neither echoed into its output nor lost; they run next, in order. Output
// that arrives while the prompt waits (a sweep finishing, cadrefresh's summary, an event) is printed
// above the prompt, which is drawn again with whatever was typed so far.
import { clearLine, createInterface, cursorTo } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { runLine } from './verbs';
import type { World } from './world';

export const PROMPT = 'sandbox> ';

export function runConsole(world: World, input: Readable, output: Writable, terminal: boolean): Promise<void> {
  const rl = createInterface({ input, output, prompt: PROMPT, terminal });
  const queue: string[] = [];
  let busy = false;
  let closed = false;
  let promptShown = false;
  let repromptQueued = false;

  const showPrompt = () => {
    if (closed || busy) return;
    promptShown = true;
    rl.prompt(true);
  };

  world.setOutput((text) => {
    if (promptShown && terminal) {
      clearLine(output, 0);
      cursorTo(output, 0);
    } else if (promptShown) {
      output.write('\n');
    }
    promptShown = false;
    output.write(`${text}\n`);
    // Lines often come in bursts (a sweep summary and its events): one prompt after the burst.
    if (!busy && !repromptQueued) {
      repromptQueued = true;
      setImmediate(() => {
        repromptQueued = false;
        showPrompt();
      });
    }
  });

  return new Promise((resolve) => {
    let inputEnded = false;
    const finish = () => {
      if (closed) return;
      closed = true;
      if (!inputEnded) rl.close();
      resolve();
    };

    const drain = async () => {
      if (busy) return;
      busy = true;
      rl.pause();
      while (queue.length > 0 && !closed) {
        const line = queue.shift()!;
        if (/^(quit|exit)$/i.test(line.trim())) return finish();
        promptShown = false;
        await runLine(world, line);
      }
      busy = false;
      if (closed) return;
      rl.resume();
      showPrompt();
    };

    rl.on('line', (line) => {
      promptShown = false;
      queue.push(line);
      void drain();
    });
    rl.on('SIGINT', finish);
    rl.on('close', () => {
      inputEnded = true;
      // End of input (Ctrl+D, or a piped file): finish what was typed, then leave.
      const waitIdle = () => (busy || queue.length > 0 ? setTimeout(waitIdle, 50) : finish());
      waitIdle();
    });
    showPrompt();
  });
}
