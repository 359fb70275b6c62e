// Realistic, seeded CAD accounts: the same seed always gives the same community.
import { PERMISSIONS, type PermissionName } from '../../src/core/permissions';

export interface FakeIdentities {
  license: string;
  steam: string;
  discord: string;
  fivem: string;
}

export interface FakeAccount {
  uuid: string;
  username: string;
  /** v2 only on the wire. */
  communityUserId: string;
  /** v1 only on the wire; may hold "" entries, as real communities' do. */
  apiIds: string[];
  status: number;
  joined: string;
  lastLogin: string;
  permissions: Record<PermissionName, boolean>;
  /** Never sent: the FiveM identifiers of the account's owner, to connect them in the emulator. */
  identities: FakeIdentities;
}

/** mulberry32: tiny, fast, good enough for test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Alex', 'Sam', 'Jordan', 'Casey', 'Riley', 'Morgan', 'Taylor', 'Jamie', 'Quinn', 'Drew', 'Avery', 'Blake', 'Cameron', 'Dana', 'Elliot', 'Frankie'];
const LAST = ['Miller', 'Garcia', 'Nguyen', 'Smith', 'Okafor', 'Rossi', 'Kowalski', 'Silva', 'Brown', 'Jensen', 'Haddad', 'Novak', 'Park', 'Lopez'];

export function generateAccounts(count: number, seed = 1, startAt = 0): FakeAccount[] {
  const rand = prng(seed * 7919 + startAt);
  const out: FakeAccount[] = [];
  for (let i = startAt; i < startAt + count; i++) out.push(generateAccount(rand, i));
  return out;
}

const hex = (rand: () => number, n: number) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
const digits = (rand: () => number, n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? 1 + Math.floor(rand() * 9) : Math.floor(rand() * 10))).join('');

export function generateAccount(rand: () => number, n: number, overrides: Partial<FakeAccount> = {}): FakeAccount {
  const identities: FakeIdentities = {
    license: `license:${hex(rand, 40)}`,
    steam: `steam:1100001${hex(rand, 8)}`,
    discord: `discord:${digits(rand, 18)}`,
    fivem: `fivem:${1 + Math.floor(rand() * 9_000_000)}`,
  };
  const roll = rand();
  const status = roll < 0.03 ? 4 : roll < 0.05 ? 0 : 1;
  const joined = new Date(Date.UTC(2021, 0, 1) + Math.floor(rand() * 4 * 365 * 86_400_000));
  const lastLogin = new Date(joined.getTime() + Math.floor(rand() * 365 * 86_400_000));
  return {
    uuid: uuidV4(rand),
    username: `${FIRST[Math.floor(rand() * FIRST.length)]}${LAST[Math.floor(rand() * LAST.length)]}${n}`,
    communityUserId: identities.license.slice('license:'.length),
    apiIds: apiIdsFor(rand, identities),
    status,
    joined: joined.toISOString(),
    lastLogin: lastLogin.toISOString(),
    permissions: permissionsFor(rand),
    identities,
    ...overrides,
  };
}

/** The forms communities really store: bare or prefixed, sometimes upper case, sometimes an empty slot. */
function apiIdsFor(rand: () => number, ids: FakeIdentities): string[] {
  const bare = (id: string) => id.slice(id.indexOf(':') + 1);
  const out = [rand() < 0.15 ? bare(ids.license).toUpperCase() : bare(ids.license)];
  if (rand() < 0.6) out.push(rand() < 0.5 ? ids.steam : bare(ids.steam));
  if (rand() < 0.5) out.push(bare(ids.discord));
  if (rand() < 0.1) out.push('');
  return out;
}

function permissionsFor(rand: () => number): Record<PermissionName, boolean> {
  const p = Object.fromEntries(PERMISSIONS.map((name) => [name, false])) as Record<PermissionName, boolean>;
  p.civilian = rand() < 0.9;
  p.dmv = p.civilian && rand() < 0.3;
  p.lawyer = rand() < 0.05;
  p.police = rand() < 0.25;
  p.dispatch = rand() < 0.1;
  p.ems = rand() < 0.15;
  p.fire = rand() < 0.15;
  p.admin = rand() < 0.02;
  p.liveMap = p.police || p.dispatch;
  p.selfDispatch = p.police && rand() < 0.5;
  p.polRecAdd = p.polRecEdit = p.police;
  p.polEditUnit = p.police;
  p.polSuper = p.polRecRemove = p.polEditOtherUnit = p.police && rand() < 0.1;
  p.medRecAdd = p.medRecEdit = p.ems;
  p.medSuper = p.medRecRemove = p.ems && rand() < 0.1;
  p.fireRecAdd = p.fireRecEdit = p.fire;
  p.fireSuper = p.fireRecRemove = p.fire && rand() < 0.1;
  p.dmvRecAdd = p.dmvRecEdit = p.dmv;
  p.lawRecAdd = p.lawRecEdit = p.police;
  if (p.admin) for (const name of PERMISSIONS) if (name.startsWith('admin') || name.endsWith('Super')) p[name] = true;
  return p;
}

function uuidV4(rand: () => number): string {
  const h = hex(rand, 32).split('');
  h[12] = '4';
  h[16] = '89ab'[Math.floor(rand() * 4)]!;
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
