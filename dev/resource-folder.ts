// A copy of what the release zip ships, in a temp folder the resource may write its snapshot into:
// how tests, the sandbox and the benchmark load the BUILT resource.
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repo root: dev/ here, .build/ once bundled for npm start — both one level down. */
export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
/** What a server owner gets: the release zip holds these (plus README and LICENSE). */
export const RUNTIME_FILES = ['fxmanifest.lua', 'dist/server.js', 'config.json', 'locales'];

export function resourceFolder(configOverrides: Record<string, unknown> = {}): string {
  if (!existsSync(join(ROOT, 'dist/server.js'))) throw new Error('dist/server.js is missing: run `node build.mjs` (npm test and npm start build first)');
  const folder = mkdtempSync(join(tmpdir(), 'sonoran_accounts-'));
  for (const item of RUNTIME_FILES) cpSync(join(ROOT, item), join(folder, item), { recursive: true });
  const shipped = JSON.parse(readFileSync(join(ROOT, 'config.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(folder, 'config.json'), JSON.stringify(deepMerge(shipped, configOverrides), null, 2));
  return folder;
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
