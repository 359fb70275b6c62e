// config.json merged with the convars Sonoran's own resource reads, validated in one pass: every bad
// field gets its own clear line, and nothing starts on a config that does not validate.
import { z } from 'zod';
import { jsonSyntaxError, keyLocationOf, locationOf, type TextLocation } from './json-location';
import { suggestKey } from './config-suggest';
import { permissionIndex, PERMISSIONS } from './permissions';

/** Convars shared with Sonoran's `sonorancad` resource, so a server sets nothing twice. */
export const CONVARS = {
  communityID: 'sonoran_communityID',
  apiKey: 'sonoran_apiKey',
  apiUrl: 'sonoran_apiUrl',
  apiVersion: 'sonoran_apiVersion',
  primaryIdentifier: 'sonoran_primaryIdentifier',
} as const;

const STATUS_NAMES = ['pending', 'active', 'banned'] as const;
const IDENTIFIER_TYPES = ['license', 'license2', 'steam', 'discord', 'fivem', 'xbl', 'live'] as const;

const num = (min: number, max: number, what = 'a number') =>
  z.number({ error: `must be ${what} from ${min} to ${max}` }).min(min, { error: `must be ${what} from ${min} to ${max}` }).max(max, { error: `must be ${what} from ${min} to ${max}` });
/** 0 turns a cadence off; otherwise from `min` to `max`. */
const offOr = (min: number, max: number, unit: string) => {
  const error = `must be 0 (off) or a number of ${unit} from ${min} to ${max}`;
  return z.number({ error }).refine((n) => n === 0 || (n >= min && n <= max), { error });
};
const bool = () => z.boolean({ error: 'must be true or false' });
const text = (max = 255) => z.string({ error: 'must be a string' }).max(max, { error: `must be at most ${max} characters` });
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.map((v) => `"${v}"`).join(', ')}` });

/** The flag as the CAD's reference spells it, or undefined: a rule may only name a flag the CAD knows. */
const knownPermission = (name: string) => PERMISSIONS.find((p) => p.toLowerCase() === name.toLowerCase());
const permissionName = z
  .string({ error: 'must name Sonoran CAD permissions like "police" or ["ems", "fire"]' })
  .refine((p) => knownPermission(p) !== undefined, { error: 'must name Sonoran CAD permissions like "police" or ["ems", "fire"] (see the permission list in the README)' })
  .transform((p) => knownPermission(p)!);
export const JOB_FRAMEWORKS = ['auto', 'esx', 'qbcore', 'qbox', 'ox'] as const;

/**
 * Free-form maps among the settings (job names are the owner's): config.json's map replaces the default
 * one whole instead of being merged key by key, and its keys are not "unknown settings".
 */
export const FREE_FORM_KEYS: readonly string[] = ['jobs.rules'];

const jobsSchema = z
  .object({
    enabled: bool(),
    framework: oneOf(JOB_FRAMEWORKS),
    // Job name (matched lower-cased, as the frameworks store them) -> the CAD permissions, any one of which allows it.
    rules: z
      .record(
        z.string().min(1).max(64),
        z.union([permissionName.transform((p) => [p]), z.array(permissionName).min(1, { error: 'must name at least one permission' })], {
          error: 'must name Sonoran CAD permissions like "police" or ["ems", "fire"]',
        }),
        { error: 'must be an object like { "police": "police", "ambulance": ["ems", "fire"] }' },
      )
      .transform((rules) => Object.fromEntries(Object.entries(rules).map(([job, perms]) => [job.toLowerCase(), [...new Set(perms)]]))),
    fallbackJob: z.string({ error: 'must be a job name' }).min(1, { error: 'must be a job name' }).max(64, { error: 'must be a job name' }),
    fallbackGrade: z.number({ error: 'must be a whole number from 0 to 1000' }).int({ error: 'must be a whole number from 0 to 1000' }).min(0, { error: 'must be a whole number from 0 to 1000' }).max(1000, { error: 'must be a whole number from 0 to 1000' }),
  });

export const configSchema = z.object({
  communityID: text(),
  // A key under 4 characters is no Sonoran key, and could not be masked without garbling every number.
  apiKey: text(512).refine((key) => key === '' || key.length >= 4, { error: 'is too short to be a Sonoran API key (under 4 characters)' }),
  apiUrl: z
    .string({ error: 'must be a URL string' })
    .url({ error: 'must be an http(s) URL like "https://api.sonorancad.com"' })
    .refine((u) => /^https?:\/\//i.test(u), { error: 'must start with http:// or https://' })
    .transform((u) => u.replace(/\/+$/, '')),
  apiVersion: z.union([z.literal(1), z.literal(2)], { error: 'must be 1 or 2' }),
  refreshMinutes: num(1, 1440, 'a number of minutes'),
  refreshJitterSeconds: num(0, 600),
  statuses: z
    .array(oneOf(STATUS_NAMES), { error: 'must be a list like ["active", "banned"]' })
    .min(1, { error: 'must name at least one status' })
    .transform((s) => [...new Set(s)]),
  identifiers: z
    .array(oneOf(IDENTIFIER_TYPES), { error: 'must be a list like ["license", "steam", "discord", "fivem"] (never "ip")' })
    .min(1, { error: 'must name at least one identifier type' }),
  primaryIdentifier: z.union([z.literal(''), oneOf(IDENTIFIER_TYPES)], { error: `must be "" or one of ${IDENTIFIER_TYPES.join(', ')}` }),
  requestTimeoutSeconds: num(1, 120),
  maxResponseMegabytes: num(1, 200),
  rateLimit: z.object({ v1PerSecond: num(0.01, 1000), v2PerMinute: num(0.1, 60_000) }),
  snapshot: z.object({
    enabled: bool(),
    file: text().refine((f) => !f.includes('..') && !f.startsWith('/') && !/^[a-z]:/i.test(f), {
      error: 'must be a relative path inside the resource folder',
    }),
  }),
  connect: z.object({
    enabled: bool(),
    blockBanned: bool(),
    requireAccount: bool(),
    requirePermission: z
      .string({ error: 'must be a string' })
      .refine((p) => p === '' || permissionIndex(p) >= 0, { error: 'must be "" or a Sonoran CAD permission like "civilian" or "police"' }),
    timeoutSeconds: num(1, 60),
    unknownRetrySeconds: num(0, 86_400, 'a number of seconds'),
    whenCadUnavailable: oneOf(['allow', 'deny'] as const),
  }),
  database: z.object({
    enabled: bool(),
    tablePrefix: z.string({ error: 'must be a string' }).regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, { error: 'must be a letter, then letters, digits or _ (at most 40)' }),
    leaseSeconds: num(1, 600, 'a number of seconds'),
    pollSeconds: num(0.1, 60, 'a number of seconds'),
  }),
  freshness: z.object({
    // The banned list is short: read it this often (through the one pacer, at most a third of its calls).
    banWatchSeconds: offOr(10, 3600, 'seconds'),
    // Accounts of online players older than this are looked up one by one (or a sweep is pulled forward).
    onlineRefreshMinutes: offOr(1, 1440, 'minutes'),
  }),
  dropBannedPlayers: bool(),
  ace: z.object({ enabled: bool(), prefix: z.string().regex(/^[A-Za-z0-9_.-]{1,32}$/, { error: 'must be letters, digits, _ . -' }) }),
  stateBag: bool(),
  jobs: jobsSchema,
  locale: text(16),
  cadName: text(64),
  debug: bool(),
});

export type Config = z.infer<typeof configSchema>;

export const DEFAULTS: z.input<typeof configSchema> = {
  communityID: '',
  apiKey: '',
  apiUrl: 'https://api.sonorancad.com',
  apiVersion: 1,
  refreshMinutes: 10,
  refreshJitterSeconds: 30,
  statuses: ['active', 'banned'],
  identifiers: ['license', 'steam', 'discord', 'fivem'],
  primaryIdentifier: '',
  requestTimeoutSeconds: 15,
  maxResponseMegabytes: 20,
  rateLimit: { v1PerSecond: 1, v2PerMinute: 10 },
  snapshot: { enabled: true, file: 'cache/snapshot.json' },
  connect: { enabled: true, blockBanned: true, requireAccount: false, requirePermission: '', timeoutSeconds: 8, unknownRetrySeconds: 60, whenCadUnavailable: 'allow' },
  database: { enabled: false, tablePrefix: 'sonoran_accounts_', leaseSeconds: 30, pollSeconds: 5 },
  freshness: { banWatchSeconds: 60, onlineRefreshMinutes: 5 },
  dropBannedPlayers: true,
  ace: { enabled: false, prefix: 'cad' },
  stateBag: false,
  jobs: { enabled: false, framework: 'auto', rules: { police: 'police', sheriff: 'police', ambulance: ['ems', 'fire'] }, fallbackJob: 'unemployed', fallbackGrade: 0 },
  locale: 'en',
  cadName: 'Sonoran CAD',
  debug: false,
};

/**
 * `ok`: the file is valid; `missing` lists what keeps it from syncing (no API key, no community ID), which
 * the resource reports and runs without (the snapshot still gates). Not `ok`: the file itself is broken.
 */
export type LoadedConfig =
  | {
      ok: true;
      config: Config;
      warnings: string[];
      missing: string[];
      file: Record<string, unknown>;
      /** Errors that discard nothing (a convar sharing needs is missing: sharing is off, the rest in force). */
      problems: string[];
      /** The settings a convar set (`apiKey`, `communityID`...): where each came from, for the start-up status. */
      fromConvar: string[];
      /** Set when there was no config.json (a fresh install): information, not a warning. */
      noFile?: string;
    }
  | { ok: false; errors: string[]; warnings: string[] };

/** A fresh install: the zip ships config.example.json, never config.json. */
export const NO_CONFIG_FILE = 'no config.json: using the built-in defaults and the convars (to change a setting, copy config.example.json to config.json)';

export interface ConfigSources {
  /** config.json's text, or null when the file is missing. */
  text: string | null;
  getConvar: (name: string) => string | undefined;
  /** The file's name in messages (default config.json). */
  fileName?: string;
}

export function loadConfig({ text: fileText, getConvar, fileName = 'config.json' }: ConfigSources): LoadedConfig {
  const warnings: string[] = [];
  let file: Record<string, unknown> = {};
  if (fileText !== null) {
    const syntax = jsonSyntaxError(fileText);
    if (syntax) return { ok: false, errors: [`${fileName} line ${syntax.line}, column ${syntax.column}: not valid JSON: ${syntax.problem}`], warnings };
    let parsed: unknown;
    try {
      parsed = JSON.parse(fileText);
    } catch (err) {
      return { ok: false, errors: [`${fileName}: not valid JSON (${(err as Error).message})`], warnings };
    }
    if (!isPlainObject(parsed)) return { ok: false, errors: [`${fileName} line 1, column 1: must be a JSON object { ... }`], warnings };
    file = parsed;
  }

  const unknown: string[][] = [];
  const merged = mergeDefaults(DEFAULTS as Record<string, unknown>, file, [], unknown);
  // Each unknown name at its place in the file, with the name meant when one is close (`apikey` -> `apiKey`).
  for (const path of sortByPlace(unknown, (p) => (fileText === null ? null : keyLocationOf(fileText, p)))) {
    const at = fileText === null ? null : keyLocationOf(fileText, path);
    const meant = suggestKey(path, DEFAULTS as Record<string, unknown>);
    warnings.push(`${fileName}${at ? ` line ${at.line}, column ${at.column}` : ''}: unknown setting "${path.join('.')}" is ignored${meant ? `; did you mean "${meant}"?` : ''}`);
  }
  const fromConvar = new Map<string, string>();
  for (const [key, convar] of Object.entries(CONVARS)) {
    const value = getConvar(convar)?.trim();
    if (value === undefined || value === '') continue;
    merged[key] = key === 'apiVersion' && /^\d+$/.test(value) ? Number(value) : value;
    fromConvar.set(key, convar);
  }

  const result = configSchema.safeParse(merged);
  const errors: string[] = [];
  if (!result.success) {
    // In the order of the file (a convar's problem first), not the schema's.
    const located = (issue: { path: PropertyKey[] }) =>
      fromConvar.has(String(issue.path[0])) || fileText === null ? null : locationOf(fileText, issue.path as (string | number)[]);
    for (const issue of sortByPlace(result.error.issues, located)) {
      const path = issue.path.join('.');
      const at = fileText === null ? null : locationOf(fileText, issue.path as (string | number)[]);
      const origin = fromConvar.has(String(issue.path[0]))
        ? `convar ${fromConvar.get(String(issue.path[0]))}`
        : `${fileName}${at ? ` line ${at.line}, column ${at.column}` : ''}: ${path}`;
      const secret = issue.path[0] === 'apiKey';
      errors.push(`${origin} ${issue.message}${secret ? '' : `, got ${describe(valueAt(merged, issue.path))}`}`);
    }
  }
  const config = result.success ? result.data : undefined;
  // A convar missing is no fault of the file: every setting stays, only sharing is off (discarding the
  // file for it put the defaults in force, and with them an open whitelist).
  const problems: string[] = [];
  if (config?.database.enabled && config.communityID === '') {
    config.database = { ...config.database, enabled: false };
    problems.push(`database.enabled: servers share by community ID; set the convar ${CONVARS.communityID} (also with API v2). Sharing is off, every other setting is in force; this server runs alone`);
  }
  if (config?.database.enabled && config.database.leaseSeconds < config.database.pollSeconds * 2) {
    errors.push(`config.json: database.leaseSeconds must be at least twice database.pollSeconds, so the holder renews in time, got ${config.database.leaseSeconds}`);
  }
  if (config && Object.hasOwn(config.jobs.rules, config.jobs.fallbackJob.toLowerCase())) {
    errors.push(`${fileName}: jobs.fallbackJob "${config.jobs.fallbackJob}" has a rule in jobs.rules; the job a removal sets must be one anybody may hold`);
  }
  if (errors.length > 0 || !config) return { ok: false, errors, warnings };
  const missing: string[] = [];
  if (config.apiKey === '') missing.push(`no API key: set the convar ${CONVARS.apiKey} (or apiKey in config.json)`);
  if (config.apiVersion === 1 && config.communityID === '') {
    missing.push(`no community ID: set the convar ${CONVARS.communityID} (or communityID in config.json)`);
  }
  if (config.apiKey !== '' && !fromConvar.has('apiKey')) {
    warnings.push(`the API key is read from config.json; prefer "set ${CONVARS.apiKey}" in server.cfg so the file holds no secret`);
  }
  const noFile = fileText === null ? NO_CONFIG_FILE : undefined;
  return { ok: true, config, warnings, missing, file, problems, fromConvar: [...fromConvar.keys()], ...(noFile ? { noFile } : {}) };
}

/** Defaults under the file's values; the paths of unknown keys go to `unknown` (a typo would otherwise be silently ignored). */
function mergeDefaults(defaults: Record<string, unknown>, file: Record<string, unknown>, prefix: string[], unknown: string[][]) {
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(file)) {
    if (!Object.prototype.hasOwnProperty.call(defaults, key)) {
      unknown.push([...prefix, key]);
      continue;
    }
    const base = defaults[key];
    const path = [...prefix, key];
    out[key] = isPlainObject(base) && isPlainObject(value) && !FREE_FORM_KEYS.includes(path.join('.')) ? mergeDefaults(base, value, path, unknown) : value;
  }
  return out;
}

/** Stable sort by where in the file: no place (a convar) first, then by line and column. */
function sortByPlace<T>(items: readonly T[], place: (item: T) => TextLocation | null): T[] {
  const keyed = items.map((item, i) => ({ item, i, at: place(item) }));
  const rank = (at: TextLocation | null) => (at ? at.line * 1e6 + at.column : -1);
  return keyed.sort((a, b) => rank(a.at) - rank(b.at) || a.i - b.i).map((k) => k.item);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const key of path) v = isPlainObject(v) || Array.isArray(v) ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

function describe(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) return 'nothing';
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
