// What the red-team secret tests look for in everything a player, the console and other resources saw.
import { Buffer } from 'node:buffer';

/** Every 8-character piece of `key` in the forms a reader can turn back into it (raw, hex, base64), found case-blind in `text`. */
export function leakedPieces(text: string, key: string): string[] {
  const low = text.toLowerCase();
  const forms = [key, Buffer.from(key).toString('hex')];
  // base64 at the three byte alignments a quoted key can sit at (the outer characters depend on neighbours).
  for (const pad of ['', 'x', 'xx']) forms.push(Buffer.from(pad + key + 'yy').toString('base64').slice(Math.ceil((pad.length * 4) / 3) + 1, -5));
  const leaks: string[] = [];
  for (const form of forms) {
    for (let i = 0; i + 8 <= form.length; i++) {
      const piece = form.slice(i, i + 8);
      if (low.includes(piece.toLowerCase()) && !leaks.includes(piece)) leaks.push(piece);
    }
  }
  return leaks;
}
