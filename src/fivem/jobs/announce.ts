// Telling the player why they lost a job (in the configured locale, in chat) and the console who lost
// which job and why.
import { statusName } from '../../core/account-record';
import type { DenyReason } from '../../core/jobs/verdict';
import type { Context } from '../context';
import type { PlayerEntry } from '../players';

const CHAT_COLOR: [number, number, number] = [255, 140, 0];

export function announceRemoval(ctx: Context, entry: PlayerEntry, job: string, reason: DenyReason, needs: readonly string[], replacement: string | null): void {
  const { config, log, host } = ctx;
  const account = entry.account;
  const why =
    reason === 'noAccount' ? 'no CAD account'
    : reason === 'banned' ? `CAD account ${account?.username} is banned`
    : reason === 'inactive' ? `CAD account ${account?.username} is not active (${account ? statusName(account.status) : '?'})`
    : `CAD account ${account?.username} lacks the ${needs.join(' or ')} permission`;
  log.info(`jobs: player ${entry.id} (${entry.name}) lost ${job}: ${why}${replacement === null ? '' : `; now ${replacement}`}`);
  const message = ctx.t(`jobs.removed.${reason}`, { job, cad: config.cadName, permissions: needs.join(' / ') });
  host.chat(entry.id, { color: CHAT_COLOR, multiline: true, args: [config.cadName, message] });
}
