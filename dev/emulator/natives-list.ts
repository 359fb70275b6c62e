// Every server native FiveM declares (from @citizenfx/server's natives_server.d.ts), so a native the
// emulator does not implement throws a clear error instead of being silently undefined.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

let cached: string[] | null = null;

export function declaredNatives(): string[] {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const file = require.resolve('@citizenfx/server/natives_server.d.ts');
  const names = new Set<string>();
  for (const match of readFileSync(file, 'utf8').matchAll(/^declare function ([A-Z][A-Za-z0-9_]*)\(/gm)) names.add(match[1]!);
  cached = [...names];
  return cached;
}
