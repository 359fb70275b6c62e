// What the job guard needs from a roleplay framework, over its exports and events only. Every framework
// object arrives through FXServer's export boundary (a copy, its functions as references), so jobs are
// read fresh at each check and a reference is never kept past a restart of the framework.
import type { HeldJob } from '../../core/jobs/guard';
import type { FxHost, ServerId } from '../host';

export type FrameworkName = 'esx' | 'qbcore' | 'qbox' | 'ox';

export interface Fallback {
  job: string;
  grade: number;
}

export interface FrameworkAdapter {
  readonly name: FrameworkName;
  /** The resource it runs as. */
  readonly resource: string;
  /**
   * Server-local events after which a player's jobs may differ (a job change by anyone, a character
   * load), each with where the player's server id is among the event's arguments. All are raised by the
   * framework's own server code (TriggerEvent); none is a net event, so no client can raise them here.
   */
  readonly events: readonly JobEvent[];
  /** The jobs the player holds now; null when no character is loaded. */
  held(player: ServerId): HeldJob[] | null;
  /** Takes the job away with the framework's own call. A promise when the framework's call is async. */
  remove(player: ServerId, job: HeldJob, fallback: Fallback): void | Promise<unknown>;
  /** The framework stopped or restarted: drop every object it handed out. */
  reset(): void;
}

export interface JobEvent {
  name: string;
  player(args: any[]): unknown;
  /**
   * Every job the player holds, as the event's own payload tells it (ESX and QBCore hold one job), which
   * spares an export call on the common path; absent where the event tells only part (Qbox, ox_core).
   * A stale payload (a listener before us changed the job again) never takes a job: a removal reads
   * the framework again first.
   */
  jobs?(args: any[]): HeldJob[] | null;
}

export const jobNamed = (name: unknown): HeldJob[] | null => (typeof name === 'string' ? [{ name, primary: true }] : null);

export type AdapterFactory = (host: FxHost) => FrameworkAdapter;

/** A core object fetched from the framework once, and again after reset(). */
export function lazyObject<T>(fetch: () => T): { get(): T; reset(): void } {
  let value: T | undefined;
  return {
    get: () => (value ??= fetch()),
    reset: () => void (value = undefined),
  };
}
