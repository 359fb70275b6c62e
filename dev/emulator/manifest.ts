// Reads the server scripts out of an fxmanifest.lua, the way FXServer lists them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function serverScripts(folder: string): string[] {
  const text = readFileSync(join(folder, 'fxmanifest.lua'), 'utf8').replace(/--\[\[[\s\S]*?\]\]|--[^\n]*/g, '');
  const scripts: string[] = [];
  for (const m of text.matchAll(/\bserver_scripts?\s*(\{[^}]*\}|'[^']*'|"[^"]*")/g)) {
    for (const s of m[1]!.matchAll(/'([^']*)'|"([^"]*)"/g)) scripts.push(s[1] ?? s[2]!);
  }
  if (scripts.length === 0) throw new Error(`${folder}/fxmanifest.lua lists no server_script`);
  return scripts;
}

/** Anything a manifest would send to every client: `files`, client scripts, ui_page. */
export function clientDownloads(folder: string): string[] {
  const text = readFileSync(join(folder, 'fxmanifest.lua'), 'utf8').replace(/--[^\n]*/g, '');
  const out: string[] = [];
  for (const m of text.matchAll(/\b(files|file|client_scripts?|shared_scripts?|ui_page)\s*(\{[^}]*\}|'[^']*'|"[^"]*")/g)) {
    for (const s of m[2]!.matchAll(/'([^']*)'|"([^"]*)"/g)) out.push(s[1] ?? s[2]!);
  }
  return out;
}

/** GetResourceMetadata(resource, key, index): the index-th `key 'value'` entry of the manifest, or null. */
export function manifestMetadata(folder: string, key: string, index: number): string | null {
  const text = readFileSync(join(folder, 'fxmanifest.lua'), 'utf8').replace(/--\[\[[\s\S]*?\]\]|--[^\n]*/g, '');
  const values = [...text.matchAll(/^\s*(\w+)\s*(?:'([^']*)'|"([^"]*)")/gm)].filter((m) => m[1] === key).map((m) => m[2] ?? m[3]!);
  return values[index] ?? null;
}
