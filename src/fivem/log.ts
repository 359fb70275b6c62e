// Console logging for the resource. FXServer prefixes each line with the resource name and renders
// ^N colour codes. Every line passes a redactor, so a secret that slipped into an error text (a URL,
// an echoed request body) is masked before it reaches the console or a log file.
import { maskSecrets } from '../core/secrets';
import type { Logger } from '../core/types';

const LEVEL_PREFIX = { info: '', warn: '^3warning:^7 ', error: '^1error:^7 ', debug: '^5debug:^7 ' } as const;

export function createLogger(print: (line: string) => void, debug: boolean, secrets: readonly string[]): Logger & {
  redact(text: string): string;
  /** A secret learnt later (the key sonorancad sets when it starts). */
  addSecret(secret: string): void;
} {
  const known = [...secrets];
  const redact = (text: string) => maskSecrets(text, known);
  const write = (level: keyof typeof LEVEL_PREFIX) => (msg: string) => print(LEVEL_PREFIX[level] + redact(msg));
  return {
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    debug: debug ? write('debug') : () => {},
    redact,
    addSecret: (secret) => void known.push(secret),
  };
}
