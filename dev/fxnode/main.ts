// One emulated FXServer in a process of its own, driven by its parent over IPC: how the multi-server
// tests and the benchmark run several servers of one community side by side, each with the BUILT
// resource, so killing one is a real process dying. Bundled to .build/fxnode.mjs by build.mjs.
//
// Parent -> child: { id, op: 'start', convars, config } | { id, op: 'export', name, args }
//                  | { id, op: 'connect', name, identifiers } | { id, op: 'stopResource' }
// Child -> parent: { id, ok: true, result } | { id, ok: false, error } and { line } for every console line.
import { rmSync } from 'node:fs';
import { createFxServer, type FxServer } from '../emulator';
import { resourceFolder } from '../resource-folder';

type Message =
  | { id: number; op: 'start'; convars: Record<string, string>; config: Record<string, unknown> }
  | { id: number; op: 'export'; name: string; args: unknown[] }
  | { id: number; op: 'connect'; name: string; identifiers: string[] }
  | { id: number; op: 'stopResource' };

let fx: FxServer | null = null;
let folder: string | null = null;
const send = (msg: unknown) => process.send?.(msg);

async function handle(msg: Message): Promise<unknown> {
  switch (msg.op) {
    case 'start': {
      folder = resourceFolder(msg.config);
      fx = createFxServer({ convars: msg.convars, echo: (line) => send({ line }) });
      await fx.startResource({ name: 'sonoran_accounts', path: folder });
      return null;
    }
    case 'export':
      return await fx!.callExport('sonoran_accounts', msg.name, ...msg.args);
    case 'connect': {
      const result = await fx!.connectPlayer({ name: msg.name, identifiers: msg.identifiers });
      return { accepted: result.accepted, reason: result.reason ?? null, id: result.id };
    }
    case 'stopResource':
      fx!.stopResource('sonoran_accounts');
      return null;
  }
}

process.on('message', (msg: Message) => {
  handle(msg).then(
    (result) => send({ id: msg.id, ok: true, result }),
    (err: unknown) => send({ id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
});
// The parent went away (or killed us): leave nothing behind.
process.on('disconnect', () => {
  if (folder) rmSync(folder, { recursive: true, force: true });
  process.exit(0);
});
send({ ready: true });
