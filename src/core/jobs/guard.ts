// Applies jobVerdict to every ruled job a player holds, at each moment the caller says something changed
// (a job change, a character load, an answer from the CAD). A player with an unknown verdict is kept in a
// waiting set and checked again when answers arrive (recheckWaiting), so "unknown" only ever postpones.
import { jobVerdict, type CadKnowledge, type DenyReason, type JobRules } from './verdict';

export interface HeldJob {
  name: string;
  /** The job the framework shows as the player's (ESX, QBCore: the only one; Qbox: PlayerData.job). */
  primary: boolean;
}

export interface JobGuardDeps<P> {
  rules: JobRules;
  knowledge(player: P): CadKnowledge;
  /** The jobs the framework says the player holds now; null when no character is loaded. */
  held(player: P): readonly HeldJob[] | null;
  /** Takes `job` away with the framework's own call (after making sure the player still holds it); told why. */
  remove(player: P, job: HeldJob, reason: DenyReason): void;
}

export interface JobGuard<P> {
  /**
   * Checks every ruled job `player` holds now; `jobs`: what they hold as the caller already knows it (a
   * job-change event's own payload), instead of asking the framework again.
   */
  check(player: P, jobs?: readonly HeldJob[] | null): void;
  /** Answers arrived (the cache became ready, a sweep ended, a lookup answered): check those waiting. */
  recheckWaiting(): void;
  /** The player left. */
  forget(player: P): void;
  waiting(): number;
}

export function createJobGuard<P>({ rules, knowledge, held, remove }: JobGuardDeps<P>): JobGuard<P> {
  const waiting = new Set<P>();

  const check = (player: P, jobs: readonly HeldJob[] | null = held(player)) => {
    let unknown = false;
    if (jobs !== null) {
      let known: CadKnowledge | undefined;
      for (const job of jobs) {
        if (!rules.has(job.name) && !rules.has(job.name.toLowerCase())) continue;
        known ??= knowledge(player);
        const verdict = jobVerdict(rules, job.name, known)!;
        if (verdict.kind === 'deny') remove(player, job, verdict.reason);
        else if (verdict.kind === 'unknown') unknown = true;
      }
    }
    if (unknown) waiting.add(player);
    else waiting.delete(player);
  };

  return {
    check,
    recheckWaiting() {
      for (const player of [...waiting]) check(player, held(player));
    },
    forget: (player) => void waiting.delete(player),
    waiting: () => waiting.size,
  };
}
