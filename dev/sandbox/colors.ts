// FXServer's console colour codes (^0..^9) rendered as ANSI, so the sandbox reads like a server console.
const ANSI: Record<string, string> = {
  '0': '\x1b[0m', '1': '\x1b[31m', '2': '\x1b[32m', '3': '\x1b[33m', '4': '\x1b[34m',
  '5': '\x1b[36m', '6': '\x1b[35m', '7': '\x1b[0m', '8': '\x1b[91m', '9': '\x1b[90m',
};

export function fxColors(line: string, tty: boolean): string {
  const out = line.replace(/\^(\d)/g, (_, d: string) => (tty ? ANSI[d] ?? '' : ''));
  return tty ? `${out}\x1b[0m` : out;
}
