// Arguments of `export <name> ...`: JSON values separated by spaces, where a value may itself hold
// spaces (`["ems", "police"]`, `"two words"`). Anything that is not JSON is an error naming it, never
// passed on as text: a wrong answer to a mistyped call teaches the wrong thing.

/** Splits at top-level whitespace, keeping strings, arrays and objects whole. */
export function splitJsonArgs(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (/\s/.test(text[i]!)) {
      i += 1;
      continue;
    }
    const start = i;
    let depth = 0;
    let inString = false;
    for (; i < text.length; i += 1) {
      const c = text[i]!;
      if (inString) {
        if (c === '\\') i += 1;
        else if (c === '"') {
          inString = false;
          if (depth === 0) {
            i += 1;
            break;
          }
        }
      } else if (c === '"') inString = true;
      else if (c === '[' || c === '{') depth += 1;
      else if (c === ']' || c === '}') {
        depth -= 1;
        if (depth <= 0) {
          i += 1;
          break;
        }
      } else if (depth === 0 && /\s/.test(c)) break;
    }
    out.push(text.slice(start, i));
  }
  return out;
}

export function parseJsonArgs(text: string): unknown[] {
  return splitJsonArgs(text).map((token, n) => {
    try {
      return JSON.parse(token) as unknown;
    } catch {
      const bare = /^[A-Za-z_][\w.:-]*$/.test(token);
      throw new Error(`argument ${n + 1} is not JSON: ${token}${bare ? ` (text needs quotes: "${token}")` : ''}`);
    }
  });
}
