// Player-facing text, from locales/<lang>.json. English is bundled as the fallback so a missing key or
// a broken translation file never shows a player an empty message. An owner's own wording goes in
// locales/overrides.json, which no release ships, so an update that replaces locales/*.json keeps it.
import english from '../../locales/en.json';

export type MessageKey = keyof typeof english;
export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function createTranslator(
  lang: string,
  loadFile: (path: string) => string | null,
  warn: (msg: string) => void,
): Translate {
  const messages: Record<string, string> = { ...english, ...loadLocale(lang, loadFile, warn), ...loadOverrides(loadFile, warn) };
  return (key, vars = {}) =>
    (messages[key] ?? english[key]).replace(/\{(\w+)\}/g, (whole, name: string) =>
      name in vars ? String(vars[name]) : whole,
    );
}

function loadLocale(lang: string, loadFile: (path: string) => string | null, warn: (msg: string) => void) {
  if (lang === 'en') return {};
  if (!/^[a-z]{2}(-[A-Za-z]{2})?$/.test(lang)) {
    warn(`config.json: locale "${lang}" is not a language code like "de" or "pt-BR"; using English`);
    return {};
  }
  const text = loadFile(`locales/${lang}.json`);
  if (text === null) {
    warn(`locales/${lang}.json not found; using English`);
    return {};
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(parsed)) {
      if (key in english && typeof value === 'string') out[key] = value;
    }
    return out;
  } catch (err) {
    warn(`locales/${lang}.json is not valid JSON (${(err as Error).message}); using English`);
    return {};
  }
}

/** The owner's file: never in the release zip (scripts/release.mjs packs only language files). */
export const OVERRIDES_FILE = 'locales/overrides.json';

function loadOverrides(loadFile: (path: string) => string | null, warn: (msg: string) => void): Record<string, string> {
  const text = loadFile(OVERRIDES_FILE);
  if (text === null) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    warn(`${OVERRIDES_FILE} is not valid JSON (${(err as Error).message}); the messages are not overridden`);
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    warn(`${OVERRIDES_FILE} must be a JSON object like { "drop.banned": "..." }; the messages are not overridden`);
    return {};
  }
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (!(key in english)) warn(`${OVERRIDES_FILE}: unknown message "${key}" is ignored (the names are those of locales/en.json)`);
    else if (typeof value !== 'string') warn(`${OVERRIDES_FILE}: "${key}" must be a string; ignored`);
    else out[key] = value;
  }
  return out;
}
