// A copy of what the release zip ships, in a temp folder the resource may write its snapshot into:
// how tests, the sandbox and the benchmark load the BUILT resource.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repo root: dev/ here, .build/ once bundled for npm start — both one level down. */
export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
/** What a server owner gets: the release zip holds these (plus README and LICENSE). */
export const RUNTIME_FILES = ['fxmanifest.lua', 'dist/server.js', 'config.json', 'locales'];

/**
 * `config` is merged over the repo's config.json, or, as a string, written as config.json verbatim (the
 * sandbox passes an owner's file as is, broken or not, so the resource itself reports what is wrong).
 * Everything that can fail is checked before the temp folder exists, and a failed copy removes it.
 */
export function resourceFolder(config: Record<string, unknown> | string = {}): string {
  if (!existsSync(join(ROOT, 'dist/server.js'))) throw new Error('dist/server.js is missing: run `node build.mjs` (npm test and npm start build first)');
  const configText = typeof config === 'string' ? config : JSON.stringify(deepMerge(readRepoConfig(), config), null, 2);
  const folder = mkdtempSync(join(tmpdir(), 'sonoran_accounts-'));
  try {
    for (const item of RUNTIME_FILES) cpSync(join(ROOT, item), join(folder, item), { recursive: true });
    writeFileSync(join(folder, 'config.json'), configText);
  } catch (err) {
    rmSync(folder, { recursive: true, force: true });
    throw err;
  }
  return folder;
}

function readRepoConfig(): Record<string, unknown> {
  const file = join(ROOT, 'config.json');
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!isObject(parsed)) throw new Error(`${file} must be a JSON object`);
  return parsed;
}

export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prev = out[key];
    out[key] = isObject(value) && isObject(prev) ? deepMerge(prev, value) : value;
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
