// Opt-in (config stateBag): Player(src).state.sonorancad = { username, status, permissions }, replicated,
// so client UIs can show CAD status without asking the server. Never anything more sensitive.
import type { Context } from './context';
import { effectivePermissions } from './effective';
import { statusName } from '../core/account-record';

export const STATE_KEY = 'sonorancad';

export function publishStateBags(ctx: Context): void {
  const { config, players, host } = ctx;
  if (!config.stateBag) return;
  players.onAccountChange((entry) => {
    const account = entry.account;
    const value = account
      ? { username: account.username, status: statusName(account.status), permissions: effectivePermissions(account) }
      : null;
    host.setPlayerState(entry.id, STATE_KEY, value, true);
  });
}
