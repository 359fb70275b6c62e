// Local events for other server resources. Payloads are plain data (views.ts). Nothing here listens
// to client events: no client can make this resource do work.
import type { Context } from './context';
import { accountView, playerDiff, summaryView } from './views';

export const EVENT = {
  ready: 'sonoran_accounts:ready',
  refreshed: 'sonoran_accounts:refreshed',
  refreshFailed: 'sonoran_accounts:refreshFailed',
  playerLinked: 'sonoran_accounts:playerLinked',
  playerUpdated: 'sonoran_accounts:playerUpdated',
} as const;

export function emitPublicEvents(ctx: Context): void {
  const { host, cache, players } = ctx;
  cache.on('ready', (info) => host.emit(EVENT.ready, { ...info }));
  cache.on('refreshed', (summary) => host.emit(EVENT.refreshed, summaryView(summary)));
  cache.on('refreshFailed', (message) => host.emit(EVENT.refreshFailed, message));
  players.onAccountChange((entry, before) => {
    if (before === null) {
      host.emit(EVENT.playerLinked, entry.id, accountView(entry.account));
    } else {
      host.emit(EVENT.playerUpdated, entry.id, accountView(entry.account), playerDiff(before, entry.account));
    }
  });
}
