// `npm run release`: sonoran_accounts.zip, the folder a server owner drops into resources/ —
// the manifest, the built bundle, config, locales, the owner's README (docs/owner/README.md, packed as
// README.md), the consumer types and LICENSE; no sources, no node_modules.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { zipSync } from 'fflate';

const root = new URL('..', import.meta.url).pathname;
// `--out <file>` lets the release test write somewhere temporary instead of the repo root.
const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? process.argv[outIndex + 1] : join(root, 'sonoran_accounts.zip');
/** Repository path -> path inside the resource folder. */
const SHIPPED = {
  'fxmanifest.lua': 'fxmanifest.lua',
  'dist/server.js': 'dist/server.js',
  'config.json': 'config.json',
  locales: 'locales',
  'docs/owner/README.md': 'README.md',
  'types/sonoran_accounts.d.ts': 'types/sonoran_accounts.d.ts',
  LICENSE: 'LICENSE',
};

function files(path) {
  const full = join(root, path);
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full).flatMap((name) => files(join(path, name)));
}

const entries = {};
for (const [from, to] of Object.entries(SHIPPED)) {
  for (const file of files(from)) entries[`sonoran_accounts/${to}${file.slice(from.length)}`] = readFileSync(join(root, file));
}
const zip = zipSync(entries, { level: 9, mtime: new Date('2026-01-01T00:00:00Z') });
writeFileSync(out, zip);
console.log(`${relative(process.cwd(), out)}: ${Object.keys(entries).length} files, ${(zip.length / 1024).toFixed(0)} KiB`);
for (const name of Object.keys(entries)) console.log(`  ${name}`);
