// "did you mean ...?" for an unknown config.json name, from the defaults' own names (so a new section
// is suggested without a change here): the same name in another case, a near spelling at the same
// level, or the same name in another section (`timeoutSeconds` at the top -> `connect.timeoutSeconds`).

/** The full dotted name meant by the unknown `path`, or null when none is close. */
export function suggestKey(path: readonly string[], defaults: Record<string, unknown>): string | null {
  const name = path[path.length - 1]!.toLowerCase();
  const parent = path.slice(0, -1);
  const known = allPaths(defaults);
  const near = (candidate: string) => distance(name, candidate.toLowerCase()) <= Math.min(2, Math.floor(name.length / 3));
  const last = (p: string[]) => p[p.length - 1]!;
  const sameLevel = known.filter((p) => p.length === path.length && p.slice(0, -1).join('.') === parent.join('.'));
  const found =
    sameLevel.find((p) => last(p).toLowerCase() === name) ??
    sameLevel.find((p) => near(last(p))) ??
    known.find((p) => last(p).toLowerCase() === name) ??
    known.find((p) => near(last(p)));
  return found ? found.join('.') : null;
}

function allPaths(value: Record<string, unknown>, prefix: string[] = []): string[][] {
  return Object.entries(value).flatMap(([key, v]) => {
    const path = [...prefix, key];
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? [path, ...allPaths(v as Record<string, unknown>, path)] : [path];
  });
}

/** Levenshtein distance (names are short: a plain table). */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}
