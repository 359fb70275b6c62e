// Living next to Sonoran's own `sonorancad` resource. Its sonorancad.cfg sets sonoran_apiKey to the
// sentinel below and protects it (`add_convar_permission sonorancad read sonoran_apiKey`); the real key
// is set only when sonorancad starts (core/configuration.lua). And when a player links their account,
// sonorancad raises a local event (core/httpd.lua, EVENT_COMMUNITY_LINK_VERIFIED) we look them up on.
import { CONVARS } from '../core/config';
import type { Context } from './context';
import { bareValue } from './identifiers';

export const SONORANCAD = 'sonorancad';
/** What sonorancad.cfg puts in sonoran_apiKey until sonorancad starts: "not set yet", never a key. */
export const KEY_SENTINEL = 'protection_initialized';
export const LINK_VERIFIED_EVENT = 'SonoranCAD::pushevents:CommunityLinkVerified';
export const PERMISSION_LINE = `add_convar_permission sonoran_accounts read ${CONVARS.apiKey}`;

export type KeyState = 'ready' | 'sentinel' | 'unreadable';

/**
 * `sentinel`: sonorancad has not started yet (we may read the key, it is not set). `unreadable`: the key
 * convar reads empty while sonorancad is installed: it is protected and we lack the permission line,
 * or sonorancad will set it when it starts.
 */
export function keyState(getConvar: (name: string) => string | undefined, sonorancadState: string): KeyState {
  const key = getConvar(CONVARS.apiKey)?.trim();
  if (key === KEY_SENTINEL) return 'sentinel';
  if ((key === undefined || key === '') && sonorancadState !== 'missing') return 'unreadable';
  return 'ready';
}

/** A player just linked in the CAD: look them up at once (skipping the negative cache). */
export function listenForLinks(ctx: Context, lookupNow: (entry: import('./players').PlayerEntry, apiId: string) => Promise<void>): void {
  const { host, players, log } = ctx;
  host.on(LINK_VERIFIED_EVENT, (src, data: unknown) => {
    if (typeof src === 'number') return; // a local event only: a client cannot make us spend calls
    const raw = typeof data === 'object' && data !== null ? (data as { communityUserId?: unknown }).communityUserId : undefined;
    if (typeof raw !== 'string' || raw.length === 0 || raw.length > 255) return;
    // Sonoran's docs show `license:abc`, its own code sends `abc`: accept both.
    const id = bareValue(raw.trim()).toLowerCase();
    for (const entry of players.all()) {
      if (!entry.identifiers.some((i) => bareValue(i).toLowerCase() === id)) continue;
      log.debug(`sonorancad: ${entry.name} linked ${id}; looking them up now`);
      lookupNow(entry, bareValue(raw.trim())).catch((err: Error) => log.warn(`could not look up ${entry.name} after they linked: ${err.message}`));
    }
  });
}
