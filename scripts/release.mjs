// `npm run release`: sonoran_accounts.zip, the folder a server owner drops into resources/ — the
// manifest, the built bundle, locales, the owner's README (docs/owner/README.md, packed as README.md),
// the consumer types, LICENSE, and the repository's config.json as config.example.json.
//
// No config.json in the zip: every default is built into the bundle, so an owner who unzips an update
// over the old folder keeps their own config.json. And a config.json holding an API key is refused:
// the key would go to everyone who downloads the release.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { zipSync } from 'fflate';

const root = new URL('..', import.meta.url).pathname;
const option = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : fallback;
};
// `--out <file>` and `--config <file>` let the release test write elsewhere and try other configs.
const out = option('--out', join(root, 'sonoran_accounts.zip'));
const configFile = option('--config', join(root, 'config.json'));

/** Repository path -> path inside the resource folder. */
const SHIPPED = {
  'fxmanifest.lua': 'fxmanifest.lua',
  'dist/server.js': 'dist/server.js',
  locales: 'locales',
  'docs/owner/README.md': 'README.md',
  'types/sonoran_accounts.d.ts': 'types/sonoran_accounts.d.ts',
  LICENSE: 'LICENSE',
};

function refuse(reason) {
  console.error(`npm run release: refused. ${reason}`);
  process.exit(1);
}

function files(path) {
  const full = join(root, path);
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full).flatMap((name) => files(join(path, name)));
}

const configText = readFileSync(configFile, 'utf8');
let config;
try {
  config = JSON.parse(configText);
} catch (err) {
  refuse(`${relative(process.cwd(), configFile)} is not valid JSON (${err.message}); it ships as config.example.json.`);
}
const key = typeof config?.apiKey === 'string' ? config.apiKey.trim() : '';
if (key !== '') {
  refuse(
    `${relative(process.cwd(), configFile)} holds an API key ("apiKey"). It would ship as config.example.json to everyone who ` +
      'downloads the release. Empty "apiKey" in that file (a server sets the key with `set sonoran_apiKey "..."` in server.cfg) ' +
      'and run npm run release again.',
  );
}

const entries = {};
/** Only language files (`en.json`, `pt-BR.json`): an owner's locales/overrides.json must never ship, or an update would overwrite it. */
const shipped = (file) => !file.startsWith('locales/') || /^locales\/[a-z]{2}(-[A-Za-z]{2})?\.json$/.test(file);
for (const [from, to] of Object.entries(SHIPPED)) {
  for (const file of files(from).filter(shipped)) entries[`sonoran_accounts/${to}${file.slice(from.length)}`] = readFileSync(join(root, file));
}
entries['sonoran_accounts/config.example.json'] = Buffer.from(configText);

const zip = zipSync(entries, { level: 9, mtime: new Date('2026-01-01T00:00:00Z') });
writeFileSync(out, zip);
console.log(`${relative(process.cwd(), out)}: ${Object.keys(entries).length} files, ${(zip.length / 1024).toFixed(0)} KiB`);
for (const name of Object.keys(entries)) console.log(`  ${name}`);
