// Picking accounts out of the fake CAD and connecting the players who own them.
import type { FakeCad, FxServer } from './harness';

type Account = FakeCad['accounts'][number];

export function pick(cad: FakeCad, predicate: (a: Account) => boolean, what: string): Account {
  const found = cad.accounts.find(predicate);
  if (!found) throw new Error(`the fake CAD has no ${what} account; change the seed`);
  return found;
}

export const isPolice = (a: Account) => a.status === 1 && a.permissions.police === true;
export const isCivilianOnly = (a: Account) => a.status === 1 && !a.permissions.police && !a.permissions.dispatch;
export const isBanned = (a: Account) => a.status === 4;

let ip = 1;
/** Connects a player owning `account` (or a stranger) and returns the emulator's connect result. */
export async function connectAs(fx: FxServer, cad: FakeCad, account: Account | null, name = 'Player') {
  const identifiers = account ? cad.identitiesOf(account.uuid) : strangerIdentifiers();
  return fx.connectPlayer({ name, identifiers: [...identifiers, `ip:10.0.0.${ip++ % 250}`] });
}

let stranger = 0;
export function strangerIdentifiers(): string[] {
  stranger += 1;
  const hex = stranger.toString(16).padStart(8, '0');
  return [`license:${'f'.repeat(32)}${hex}`, `steam:11000019${hex}`, `discord:99${String(stranger).padStart(16, '0')}`];
}
