// /cadcheck (players: themselves; with the ace, anyone; the console: a table of everyone) and
// cadrefresh (console, or ace command.cadrefresh). /cadcheck on one player also asks the CAD about that
// player at once (at most once a minute per player): when the answer changes what it showed, it says so again.
import type { Context } from './context';
import { effectivePermissions } from './effective';
import { bareValue, parseServerId } from './identifiers';
import type { PlayerEntry } from './players';
import { statusName } from '../core/account-record';
import { nextTry } from './failure-log';
import { summaryLine } from './views';

export const CHECK_OTHERS_ACE = 'sonoran_accounts.cadcheck.others';
const CONSOLE = 0;
const CHAT_COLOR: [number, number, number] = [80, 160, 255];
/** /cadcheck asks the CAD about one player at most this often. */
const CHECK_REFRESH_MS = 60_000;

/** `refreshPlayer`: a lookup of every identifier of the player, fresh (player-lookup.ts thorough). */
export function registerCommands(ctx: Context, refreshPlayer: (entry: PlayerEntry) => Promise<unknown>): void {
  const { host, config, cache, players, t, clock } = ctx;
  const lastRefresh = new WeakMap<PlayerEntry, number>();
  const cad = config.cadName;

  const reply = (src: number, text: string) => {
    if (src === CONSOLE) host.print(text);
    else host.chat(src, { color: CHAT_COLOR, multiline: true, args: [cad, text] });
  };

  const permissionsText = (entry: PlayerEntry) => effectivePermissions(entry.account).join(', ') || t('permissions.none');
  // `abc123 (license), 110000112345678 (steam)`: which ID is which, so a player pastes the one they mean.
  const linkableIds = (entry: PlayerEntry) => entry.identifiers.map((id) => `${bareValue(id)} (${id.slice(0, id.indexOf(':')).toLowerCase()})`).join(', ') || t('permissions.none');

  /** Why there is nothing to answer from yet: what is missing, what failed and when the next try is, or a sweep under way. */
  const notReady = (): string => {
    const info = cache.info();
    if (info.lastError === null) return t('cadcheck.notReady', { cad });
    if (info.nextRefreshAt === null && !info.refreshing) return t('cadcheck.notSyncing', { cad, reason: info.lastError.replace(/^not syncing CAD accounts: /, '') });
    return t('cadcheck.failing', { cad, url: config.apiUrl, error: info.lastError, next: nextTry(info, ctx.clock.now()) });
  };

  const describe = (entry: PlayerEntry, self: boolean): string => {
    const account = entry.account;
    const vars = { id: entry.id, name: entry.name, cad };
    if (!account) return t(self ? 'cadcheck.selfNone' : 'cadcheck.otherNone', { ...vars, identifiers: linkableIds(entry) });
    const details = { ...vars, username: account.username, status: statusName(account.status), permissions: permissionsText(entry) };
    return t(self ? 'cadcheck.self' : 'cadcheck.other', details);
  };

  host.registerCommand(
    'cadcheck',
    (src, args) => {
      // `cadcheck 1 2` checked only 1: say how it is used instead of dropping the rest.
      if (args.length > 1) return reply(src, t('cadcheck.usage'));
      if (!cache.info().ready) return reply(src, notReady());
      const target = args[0];
      if (target === undefined) {
        if (src === CONSOLE) return printTable();
        const self = players.get(src);
        if (self) answer(src, self, true);
        return;
      }
      if (src !== CONSOLE && !host.isAceAllowed(src, CHECK_OTHERS_ACE)) return reply(src, t('cadcheck.denied'));
      const id = parseServerId(target);
      const entry = id === null ? undefined : players.get(id);
      if (!entry || !entry.joined) return reply(src, t('cadcheck.unknownPlayer', { id: target.slice(0, 32) }));
      answer(src, entry, id === src);
    },
    false,
  );

  /** What the cache says now; then, rate-limited per player, what the CAD says, if that differs. */
  function answer(src: number, entry: PlayerEntry, self: boolean) {
    const shown = describe(entry, self);
    reply(src, shown);
    const now = clock.now();
    if ((lastRefresh.get(entry) ?? -Infinity) > now - CHECK_REFRESH_MS) return;
    lastRefresh.set(entry, now);
    refreshPlayer(entry).then(
      () => {
        if (players.get(entry.id) !== entry) return;
        const fresh = describe(entry, self);
        if (fresh !== shown) reply(src, fresh);
      },
      () => {
        /* the CAD did not answer: what was shown stands */
      },
    );
  }

  // The summary of the last sweep already printed as `synced ...`: the console is not told it twice.
  let lastLogged: unknown = null;
  cache.on('refreshed', (summary) => void (lastLogged = summary));
  host.registerCommand(
    'cadrefresh',
    (src) => {
      reply(src, `${cad}: refreshing accounts…`);
      cache.refresh().then(
        (summary) => (src === CONSOLE && summary === lastLogged ? undefined : reply(src, `${cad}: ${summaryLine(summary)}`)),
        (err: Error) => reply(src, `${cad}: refresh failed: ${err.message}`),
      );
    },
    true,
  );

  function printTable() {
    const rows = [...players.all()].filter((e) => e.joined).sort((a, b) => a.id - b.id);
    if (rows.length === 0) return host.print('cadcheck: no players online');
    const table = [
      ['ID', 'NAME', 'CAD USER', 'STATUS', 'PERMISSIONS'],
      ...rows.map((e) => [
        String(e.id),
        e.name,
        e.account?.username ?? '-',
        e.account ? statusName(e.account.status) : 'no account',
        e.account ? permissionsText(e) : '-',
      ]),
    ];
    const widths = table[0]!.map((_, col) => Math.min(32, Math.max(...table.map((row) => row[col]!.length))));
    for (const row of table) host.print(row.map((cell, col) => (col === 4 ? cell : cell.slice(0, 32).padEnd(widths[col]!))).join('  '));
  }
}
