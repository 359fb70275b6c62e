// The CAD's permission flags as a compact bit mask: a check is one Map read and one bit test, with no
// allocation, and an account carries three small integers instead of a 43-key object.
import type { PermissionMask } from './types';

/** The 43 flags of Sonoran's reference, in its order. Their bit positions never change. */
export const PERMISSIONS = [
  'civilian', 'lawyer', 'dmv', 'police', 'fire', 'ems', 'dispatch', 'admin',
  'polRecAdd', 'polRecEdit', 'polRecRemove', 'polSuper', 'polEditUnit', 'polEditOtherUnit', 'selfDispatch', 'liveMap',
  'medRecAdd', 'medRecEdit', 'medRecRemove', 'medSuper', 'fireRecAdd', 'fireRecEdit', 'fireRecRemove', 'fireSuper',
  'dmvRecAdd', 'dmvRecEdit', 'dmvRecRemove', 'dmvSuper', 'modifyStreetSigns', 'lawRecAdd', 'lawRecEdit', 'lawRecRemove',
  'lawSuper', 'adminAccounts', 'adminPermissionKeys', 'adminCustomization', 'adminDepartments', 'adminTenCodes',
  'adminPenalCodes', 'adminInGameIntegration', 'adminDiscordIntegration', 'adminLimits', 'adminLogs',
] as const;
export type PermissionName = (typeof PERMISSIONS)[number];

/** 30 bits a word keeps every word a small integer (no heap number), three words hold 90 flags. */
const BITS_PER_WORD = 30;
export const MAX_FLAGS = BITS_PER_WORD * 3;

/** Flag names by bit: the 43 known ones, then any new flag the API starts sending, in order of arrival. */
const names: string[] = [...PERMISSIONS];
/** Exact name → bit, plus lower-case name → bit, so both hits are a single Map read. */
const bitOf = new Map<string, number>();
for (const [bit, name] of names.entries()) register(name, bit);

function register(name: string, bit: number) {
  bitOf.set(name, bit);
  // The lower-case alias belongs to the first flag that claims it: a new flag `Police` from the CAD must
  // not take over `police` (it keeps its own bit, checkable by its exact name).
  const lower = name.toLowerCase();
  if (!bitOf.has(lower)) bitOf.set(lower, bit);
}

export const EMPTY_MASK: PermissionMask = Object.freeze({ w0: 0, w1: 0, w2: 0 });

/** Bit of a flag, case-insensitively; -1 when the CAD has never sent such a flag. */
export function permissionIndex(name: string): number {
  // Callers ask for the same few names over and over ('police' from a job script): remember the last.
  if (name === lastName) return lastIndex;
  const hit = bitOf.get(name) ?? bitOf.get(name.toLowerCase());
  if (hit === undefined) return -1;
  lastName = name;
  lastIndex = hit;
  return hit;
}
let lastName = '';
let lastIndex = -1;

export function hasPermission(mask: PermissionMask, index: number): boolean {
  // Subtraction, not `%`: this is the hot path of every check, and an integer division is the slow op.
  if (index < 0) return false;
  if (index < BITS_PER_WORD) return (mask.w0 & (1 << index)) !== 0;
  if (index < 2 * BITS_PER_WORD) return (mask.w1 & (1 << (index - BITS_PER_WORD))) !== 0;
  return (mask.w2 & (1 << (index - 2 * BITS_PER_WORD))) !== 0;
}

/**
 * The mask of the flags that are exactly `true`. A flag the reference does not list is kept (given the
 * next free bit) and reported through `onNewFlag` once, so a Sonoran update never silently drops one.
 */
export function maskFromFlags(flags: Record<string, unknown>, onNewFlag?: (name: string) => void): PermissionMask {
  let w0 = 0;
  let w1 = 0;
  let w2 = 0;
  for (const name in flags) {
    let bit = bitOf.get(name);
    if (bit === undefined) {
      if (names.length >= MAX_FLAGS) continue;
      bit = names.length;
      names.push(name);
      register(name, bit);
      onNewFlag?.(name);
    }
    if (flags[name] !== true) continue;
    if (bit < BITS_PER_WORD) w0 |= 1 << bit;
    else if (bit < 2 * BITS_PER_WORD) w1 |= 1 << (bit - BITS_PER_WORD);
    else w2 |= 1 << (bit - 2 * BITS_PER_WORD);
  }
  return w0 === 0 && w1 === 0 && w2 === 0 ? EMPTY_MASK : { w0, w1, w2 };
}

/** Flag names by bit, as this process numbers them (new flags get bits in order of arrival). */
export function flagNames(): readonly string[] {
  return names;
}

export function grantedPermissions(mask: PermissionMask): string[] {
  const out: string[] = [];
  for (let bit = 0; bit < names.length; bit++) if (hasPermission(mask, bit)) out.push(names[bit]!);
  return out;
}

export function diffPermissions(before: PermissionMask, after: PermissionMask): { granted: string[]; revoked: string[] } {
  const granted: string[] = [];
  const revoked: string[] = [];
  for (let bit = 0; bit < names.length; bit++) {
    const was = hasPermission(before, bit);
    const now = hasPermission(after, bit);
    if (now && !was) granted.push(names[bit]!);
    else if (was && !now) revoked.push(names[bit]!);
  }
  return { granted, revoked };
}

export function sameMask(a: PermissionMask, b: PermissionMask): boolean {
  return a.w0 === b.w0 && a.w1 === b.w1 && a.w2 === b.w2;
}
