// What this resource knows of a player's CAD account, for the job verdict (core/jobs/verdict.ts). A player
// without an account is only "answered" (the CAD said: none) once the CAD was asked about them: the connect
// gate's lookup answered, or a follow-up did, or a sweep that began after they were registered completed.
// Until then, and while the cache is not ready, they are unknown, and unknown removes nothing.
import type { CadKnowledge } from '../../core/jobs/verdict';
import type { Context } from '../context';
import type { FollowUps } from '../follow-ups';
import type { PlayerEntry } from '../players';

export interface Knowledge {
  of(entry: PlayerEntry): CadKnowledge;
}

export function trackKnowledge(ctx: Context, followUps: FollowUps): Knowledge {
  const { host, players, cache, clock } = ctx;
  /** Asked about at connect: what the gate's lookup left is an answer, unless it became a follow-up. */
  const asked = new WeakSet<PlayerEntry>();
  /** Registered without the gate (online at start, a join it never saw, gate off): since when. */
  const unasked = new Map<PlayerEntry, number>();

  for (const entry of players.all()) unasked.set(entry, clock.now());
  // After the gate's own handler (registered earlier), which has just added the entry under its temp id.
  host.on('playerConnecting', (src) => {
    const entry = players.get(Number(src));
    if (entry && ctx.config.connect.enabled) asked.add(entry);
  });
  host.on('playerJoining', (src) => {
    const entry = players.get(Number(src));
    if (entry && !asked.has(entry)) unasked.set(entry, clock.now());
  });
  host.on('playerDropped', () => {
    for (const entry of unasked.keys()) if (players.get(entry.id) !== entry) unasked.delete(entry);
  });
  cache.on('refreshed', (summary) => {
    const sweepStartedAt = summary.finishedAt - summary.durationMs;
    for (const [entry, since] of unasked) {
      if (since > sweepStartedAt) continue;
      unasked.delete(entry);
      asked.add(entry);
    }
  });

  return {
    of: (entry) => ({
      ready: cache.info().ready,
      account: entry.account,
      answered: entry.account !== null || (asked.has(entry) && !followUps.pending(entry)),
    }),
  };
}
