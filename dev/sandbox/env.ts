// The sandbox's numeric settings from the environment. A value that is no count (`abc`, `0`, `12.5`)
// is refused with its name, never replaced by a default: the user asked for something and would
// otherwise watch a different sandbox than the one they asked for.
export function countFromEnv(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

/** One of the given names, or undefined when unset; anything else is refused rather than replaced by a default. */
export function choiceFromEnv(name: string, value: string | undefined, choices: readonly string[]): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const v = value.trim().toLowerCase();
  if (!choices.includes(v)) throw new Error(`${name} must be one of ${choices.join(', ')}, got "${value}"`);
  return v;
}
