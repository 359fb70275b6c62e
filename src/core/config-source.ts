// Which configuration is in force. A broken config.json (a trailing comma, one wrong type) must never
// open a gate: the last configuration that loaded stays in force (kept next to the snapshot), or the
// defaults when none ever did, with the convars over it as always, and the console says where the file
// is wrong. The kept copy never holds the API key: it comes from the convar (sonoran_apiKey); a key that
// only lived in the broken config.json is not known until the file is fixed (the snapshot still gates).
import { CONVARS, DEFAULTS, loadConfig, type Config } from './config';
import type { FileStore } from './types';

/** Next to the default snapshot, inside the resource folder (never downloaded by clients). */
export const LAST_GOOD_CONFIG_FILE = 'cache/last-good-config.json';

export interface ConfigChoice {
  config: Config;
  errors: string[];
  warnings: string[];
  /** Why the cache cannot sync (no API key or community ID); undefined when it can. */
  syncDisabled?: string;
  /** The text to keep as the last good configuration (config.json loaded), or undefined (it did not). */
  remember?: string;
  /** For the start-up status: which file is in force, and the settings a convar set. */
  origin: { file: string; fromConvar: string[] };
}

export function chooseConfig(sources: { text: string | null; getConvar: (name: string) => string | undefined; files: FileStore }): ConfigChoice {
  const { text, files } = sources;
  const { getConvar, errors: convarErrors } = usableConvars(sources.getConvar);
  const loaded = loadConfig({ text, getConvar });
  if (loaded.ok) {
    const kept = knownSettings(loaded.file, DEFAULTS as Record<string, unknown>);
    return {
      config: loaded.config,
      errors: [...convarErrors, ...loaded.problems],
      warnings: loaded.warnings,
      syncDisabled: joined(loaded.missing),
      remember: JSON.stringify({ config: kept }),
      origin: { file: loaded.noFile ?? 'config.json', fromConvar: loaded.fromConvar },
    };
  }
  const saved = readLastGood(files);
  const fallback = saved ? loadConfig({ text: JSON.stringify(saved.config), getConvar, fileName: LAST_GOOD_CONFIG_FILE }) : null;
  const inForce = fallback?.ok ? fallback : loadConfig({ text: '{}', getConvar, fileName: 'defaults' });
  if (!inForce.ok) throw new Error(`the defaults do not validate: ${inForce.errors.join('; ')}`); // a bug, not a setting
  const which = fallback?.ok
    ? `the previous configuration (${LAST_GOOD_CONFIG_FILE}, kept when it last loaded) is in force`
    : 'no configuration ever loaded here, so the defaults are in force';
  return {
    config: inForce.config,
    errors: [...convarErrors, ...loaded.errors, ...inForce.problems, `config.json is not valid: ${which} until it is fixed (convars still apply; banned CAD accounts are still refused)`],
    // Unknown names are reported even when the file does not load: a typo is often why it does not.
    warnings: loaded.warnings,
    syncDisabled: joined(inForce.missing),
    origin: { file: fallback?.ok ? `${LAST_GOOD_CONFIG_FILE} (config.json is not valid)` : 'the built-in defaults (config.json is not valid)', fromConvar: inForce.fromConvar },
  };
}

/**
 * The convars without those whose value does not validate on its own (`set sonoran_apiVersion 3`): such a
 * convar is ignored with an error line, as a bad config.json is. Applied over every configuration,
 * defaults included, it would otherwise leave none that loads, and the resource would not start at all:
 * no connect gate, every ban let in.
 */
function usableConvars(getConvar: (name: string) => string | undefined): { getConvar: (name: string) => string | undefined; errors: string[] } {
  const ignored = new Set<string>();
  const errors: string[] = [];
  for (const convar of Object.values(CONVARS)) {
    if (getConvar(convar) === undefined) continue;
    const alone = loadConfig({ text: null, getConvar: (name) => (name === convar ? getConvar(name) : undefined) });
    if (alone.ok) continue;
    ignored.add(convar);
    errors.push(...alone.errors.map((e) => `${e}; this convar is ignored until it is fixed`));
  }
  return { getConvar: (name) => (ignored.has(name) ? undefined : getConvar(name)), errors };
}

/**
 * The file's settings this version knows, without `apiKey`: what is kept on disk. Unknown names are left
 * out too (they are ignored anyway): `"apikey"`, `"sonoran_apiKey"` or `connect.apiKey` are an API key
 * under a mistyped name, and the key is never written to disk.
 */
function knownSettings(file: Record<string, unknown>, known: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(file)) {
    if (name === 'apiKey' || !Object.prototype.hasOwnProperty.call(known, name)) continue;
    const shape = known[name];
    const nested = typeof shape === 'object' && shape !== null && !Array.isArray(shape) && typeof value === 'object' && value !== null && !Array.isArray(value);
    kept[name] = nested ? knownSettings(value as Record<string, unknown>, shape as Record<string, unknown>) : value;
  }
  return kept;
}

function joined(missing: string[]): string | undefined {
  return missing.length > 0 ? `not syncing CAD accounts: ${missing.join('; ')}` : undefined;
}

function readLastGood(files: FileStore): { config: Record<string, unknown> } | null {
  try {
    const text = files.read(LAST_GOOD_CONFIG_FILE);
    if (text === null) return null;
    const parsed = JSON.parse(text) as { config?: unknown };
    const config = parsed.config;
    return typeof config === 'object' && config !== null && !Array.isArray(config) ? { config: config as Record<string, unknown> } : null;
  } catch {
    return null;
  }
}

/** Keeps `remember` as the last good configuration when it differs from what is kept already. */
export async function rememberConfig(files: FileStore, remember: string): Promise<void> {
  let current: string | null = null;
  try {
    current = files.read(LAST_GOOD_CONFIG_FILE);
  } catch {
    /* unreadable: write it anew */
  }
  if (current !== remember) await files.writeAtomic(LAST_GOOD_CONFIG_FILE, [remember]);
}
