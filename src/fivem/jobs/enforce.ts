// Jobs follow CAD permissions (config jobs.*): the job guard (core/jobs/guard.ts) checks a player's ruled
// jobs at every moment they can change, through the framework's exports and its own server events:
//   - the framework's job-change and character-load events, whoever made the change (framework.ts);
//   - this resource's start and the framework's (re)start: every online player;
//   - the CAD changing for an online player (revoke, ban, inactive, an account becoming known): the
//     registry's account changes, heard before the ban enforcer drops anyone;
//   - answers arriving (the cache becoming ready, a sweep, a follow-up saying "no account"): the players
//     whose verdict was unknown are checked again.
// Registered in two steps: the account-change listener first (start.ts, before the ban enforcer), the
// rest once the connect gate and the follow-ups exist (attach).
import { createJobGuard, type HeldJob } from '../../core/jobs/guard';
import { compileJobRules } from '../../core/jobs/verdict';
import type { Context } from '../context';
import type { FollowUps } from '../follow-ups';
import type { PlayerEntry } from '../players';
import { announceRemoval } from './announce';
import { detectFramework, FRAMEWORK_RESOURCES } from './detect';
import { esxAdapter } from './esx';
import type { AdapterFactory, FrameworkAdapter, FrameworkName } from './framework';
import { trackKnowledge, type Knowledge } from './knowledge';
import { oxAdapter } from './ox';
import { qboxAdapter } from './qbox';
import { qbcoreAdapter } from './qbcore';

const ADAPTERS: Record<FrameworkName, AdapterFactory> = { esx: esxAdapter, qbcore: qbcoreAdapter, qbox: qboxAdapter, ox: oxAdapter };

export interface JobEnforcer {
  /** Starts listening to the frameworks and answers, and checks every online player. */
  attach(followUps: FollowUps): void;
}

export function enforceJobs(ctx: Context): JobEnforcer | null {
  const { config, host, players, cache, log } = ctx;
  if (!config.jobs.enabled) return null;
  const settings = config.jobs;
  const rules = compileJobRules(settings.rules);
  const fallback = { job: settings.fallbackJob, grade: settings.fallbackGrade };
  let adapter: FrameworkAdapter | null = null;
  let knowledge: Knowledge | null = null;
  /** Removals under way (an async one, or a sync one whose own event comes back to us): not repeated. */
  const removing = new Set<string>();
  const warned = new Set<string>();
  const warnOnce = (line: string) => {
    if (warned.has(line)) return;
    warned.add(line);
    log.warn(line);
  };

  const guard = createJobGuard<PlayerEntry>({
    rules,
    knowledge: (entry) => knowledge!.of(entry),
    held(entry) {
      try {
        return adapter?.held(entry.id) ?? null;
      } catch (err) {
        warnOnce(`jobs: could not read jobs from ${adapter?.resource}: ${(err as Error).message}`);
        return null;
      }
    },
    remove(entry, told, reason) {
      const current = adapter;
      const key = `${entry.id}:${told.name}`;
      if (!current || removing.has(key)) return;
      // The framework's word, not an event's payload (which may be stale): still held, and as what.
      let job: HeldJob | undefined;
      try {
        job = current.held(entry.id)?.find((held) => held.name === told.name);
      } catch (err) {
        warnOnce(`jobs: could not read jobs from ${current.resource}: ${(err as Error).message}`);
      }
      if (!job) return;
      const needs = settings.rules[job.name] ?? settings.rules[job.name.toLowerCase()] ?? [];
      announceRemoval(ctx, entry, job.name, reason, needs, current.name === 'ox' ? null : `${fallback.job} ${fallback.grade}`);
      removing.add(key);
      const failed = (err: unknown) => log.warn(`jobs: ${current.resource} did not take ${job.name} from player ${entry.id}: ${(err as Error)?.message ?? String(err)}`);
      try {
        const pending = current.remove(entry.id, job, fallback);
        if (pending && typeof (pending as Promise<unknown>).then === 'function') {
          (pending as Promise<unknown>).catch(failed).finally(() => removing.delete(key));
          return;
        }
      } catch (err) {
        failed(err);
      }
      removing.delete(key);
      if (current.held(entry.id)?.some((held) => held.name === job.name)) {
        warnOnce(`jobs: ${current.resource} kept ${job.name} for player ${entry.id} after the removal; does the job "${fallback.job}" grade ${fallback.grade} exist there (jobs.fallbackJob, jobs.fallbackGrade)?`);
      }
    },
  });

  const check = (entry: PlayerEntry | undefined, told?: HeldJob[] | null) => {
    if (!entry || !entry.joined || !knowledge) return;
    if (players.get(entry.id) !== entry) return guard.forget(entry);
    if (told === undefined) guard.check(entry);
    else guard.check(entry, told);
  };
  const checkAll = () => {
    for (const entry of [...players.all()]) check(entry);
  };

  // Before the ban enforcer's: a banned officer loses the job before being dropped, so the framework saves that.
  players.onAccountChange((entry) => check(entry));

  const choose = () => {
    const found = detectFramework(settings.framework, host.resourceState);
    if (found.framework === null) {
      adapter = null;
      if (found.ambiguous) warnOnce(found.ambiguous);
      return;
    }
    if (adapter?.name === found.framework) return;
    adapter = ADAPTERS[found.framework](host);
    const ruled = Object.keys(settings.rules).join(', ') || 'none';
    log.info(`jobs: ${adapter.resource} jobs follow CAD permissions (ruled: ${ruled})${host.resourceState(adapter.resource) === 'started' ? '' : `; waiting for ${adapter.resource} to start`}`);
  };

  return {
    attach(followUps) {
      knowledge = trackKnowledge(ctx, followUps);
      const events = new Set(Object.values(ADAPTERS).flatMap((make) => make(host).events.map((e) => e.name)));
      for (const name of events) {
        host.on(name, (_source, ...args: unknown[]) => {
          const spec = adapter?.events.find((e) => e.name === name);
          if (!spec) return;
          const id = Number(spec.player(args));
          if (Number.isInteger(id)) check(players.get(id), spec.jobs?.(args));
        });
      }
      const frameworks = new Set(Object.values(FRAMEWORK_RESOURCES));
      host.on('onServerResourceStart', (_source, name: string) => {
        if (!frameworks.has(name)) return;
        choose();
        if (adapter?.resource !== name) return;
        adapter.reset();
        checkAll();
      });
      host.on('onResourceStop', (_source, name: string) => {
        if (adapter?.resource === name) adapter.reset();
      });
      // Answers arrived; checked once every listener of the same event (follow-ups, player tracking) ran.
      const recheck = () => queueMicrotask(() => guard.recheckWaiting());
      cache.on('ready', recheck);
      cache.on('refreshed', recheck);
      followUps.onNoAccount((entry) => check(entry));
      choose();
      checkAll();
    },
  };
}
