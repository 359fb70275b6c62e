// The uuids of the compact store (account-store.ts) and the table from uuid to slot. A uuid as a string is
// 56 B, its Map entry ~37 and its place in an array 8; here a canonical one (lower-case 8-4-4-4-12 hex,
// what the CAD sends and cachedAccount() makes) is 16 bytes, and the table one Int32Array at most half
// full plus its hash (4 B): ~30 B an account instead of ~100. Any other uuid ('a' in a test, an
// `unreadable:` stand-in) is kept as its text. Lookups compare characters with the bytes: no string built.

import { grownSlots, resized } from './typed-arrays';

const HEX = '0123456789abcdef';
const HEX_CODES = Array.from(HEX, (c) => c.charCodeAt(0));
/** Where the 32 hex digits of a canonical uuid sit (the hyphens at 8, 13, 18 and 23). */
const DIGIT_AT = Array.from({ length: 36 }, (_, i) => i).filter((i) => i !== 8 && i !== 13 && i !== 18 && i !== 23);
const HYPHEN = 45;
/** The characters of one uuid being printed (text()): the hyphens stay, the digits are written over. */
const CODES = Array.from('00000000-0000-0000-0000-000000000000', (c) => c.charCodeAt(0));

export interface UuidColumn {
  /** The slot holding `uuid` (exactly these characters), if any. */
  find(uuid: string): number | undefined;
  /** Stores the uuid of a new slot: the next one, never a uuid another slot holds. */
  add(slot: number, uuid: string): void;
  /** add() of the uuid `other` holds at `otherSlot`, copied as it is kept there (no string printed or parsed). */
  addSame(slot: number, other: UuidColumn, otherSlot: number): void;
  text(slot: number): string;
  /** The slot of this column holding the uuid `other` holds at `otherSlot`: no string built. */
  findSame(other: UuidColumn, otherSlot: number): number | undefined;
  /** For findSame: the hash of a slot's uuid; its text when kept as text, else undefined and its bytes at slot * 16. */
  hashAt(slot: number): number;
  textAt(slot: number): string | undefined;
  bytes(): Uint8Array;
  /** Drops the spare room growth left beyond `size` slots. */
  trim(size: number): void;
}

/** `expected`: how many uuids will be added (the columns and table are made for them at once, account-store.ts). */
export function createUuidColumn(expected = 0): UuidColumn {
  let cap = 0;
  let bytes = new Uint8Array(0);
  /** 1 where the slot's uuid is not canonical and lives in `texts`. */
  let textual = new Uint8Array(0);
  let hashes = new Int32Array(0);
  const texts = new Map<number, string>();
  /** Open addressing: slot + 1, 0 empty; at most half full. */
  let table = new Int32Array(Math.max(16, 2 ** Math.ceil(Math.log2(expected * 2 + 1))));
  let taken = 0;

  const resize = (to: number) => {
    bytes = resized(bytes, to, 16, Uint8Array);
    textual = resized(textual, to, 1, Uint8Array);
    hashes = resized(hashes, to, 1, Int32Array);
    cap = to;
  };
  if (expected > 0) resize(expected);

  const place = (slot: number) => {
    const mask = table.length - 1;
    let i = hashes[slot]! & mask;
    while (table[i] !== 0) i = (i + 1) & mask;
    table[i] = slot + 1;
  };

  const holds = (slot: number, uuid: string): boolean => {
    if (textual[slot] === 1) return texts.get(slot) === uuid;
    if (uuid.length !== 36) return false;
    const at = slot * 16;
    for (let i = 0; i < 16; i++) {
      const b = bytes[at + i]!;
      if (uuid.charCodeAt(DIGIT_AT[2 * i]!) !== HEX_CODES[b >> 4] || uuid.charCodeAt(DIGIT_AT[2 * i + 1]!) !== HEX_CODES[b & 15]) return false;
    }
    return uuid.charCodeAt(8) === HYPHEN && uuid.charCodeAt(13) === HYPHEN && uuid.charCodeAt(18) === HYPHEN && uuid.charCodeAt(23) === HYPHEN;
  };

  const keepText = (slot: number, uuid: string) => {
    textual[slot] = 1;
    texts.set(slot, uuid);
  };
  /** Enters a slot whose uuid was just stored into the table. */
  const taking = (slot: number) => {
    if ((taken + 1) * 2 > table.length) {
      // Twice as large whenever half full: re-placing by the kept hashes, no uuid hashed again.
      const old = table;
      table = new Int32Array(old.length * 2);
      for (const entry of old) if (entry !== 0) place(entry - 1);
    }
    place(slot);
    taken++;
  };

  return {
    find(uuid) {
      const mask = table.length - 1;
      for (let i = hashOf(uuid) & mask; table[i] !== 0; i = (i + 1) & mask) {
        const slot = table[i]! - 1;
        if (holds(slot, uuid)) return slot;
      }
      return undefined;
    },
    add(slot, uuid) {
      if (slot >= cap) resize(Math.max(slot + 1, grownSlots(cap)));
      hashes[slot] = hashOf(uuid);
      if (!toBytes(uuid, bytes, slot * 16)) keepText(slot, uuid);
      taking(slot);
    },
    addSame(slot, other, otherSlot) {
      if (slot >= cap) resize(Math.max(slot + 1, grownSlots(cap)));
      hashes[slot] = other.hashAt(otherSlot);
      const text = other.textAt(otherSlot);
      if (text !== undefined) keepText(slot, text);
      else bytes.set(other.bytes().subarray(otherSlot * 16, otherSlot * 16 + 16), slot * 16);
      taking(slot);
    },
    text(slot) {
      if (textual[slot] === 1) return texts.get(slot)!;
      // One flat string from 36 character codes (joining 20 pieces left a chain of partial strings behind).
      const at = slot * 16;
      for (let i = 0; i < 16; i++) {
        const b = bytes[at + i]!;
        CODES[DIGIT_AT[2 * i]!] = HEX_CODES[b >> 4]!;
        CODES[DIGIT_AT[2 * i + 1]!] = HEX_CODES[b & 15]!;
      }
      return String.fromCharCode.apply(null, CODES);
    },
    findSame(other, otherSlot) {
      const hash = other.hashAt(otherSlot);
      const text = other.textAt(otherSlot);
      const theirs = other.bytes();
      const mask = table.length - 1;
      for (let i = hash & mask; table[i] !== 0; i = (i + 1) & mask) {
        const slot = table[i]! - 1;
        if (hashes[slot] !== hash) continue;
        if (text !== undefined) {
          if (textual[slot] === 1 && texts.get(slot) === text) return slot;
          continue;
        }
        if (textual[slot] === 1) continue;
        let same = true;
        for (let k = 0; k < 16 && same; k++) same = bytes[slot * 16 + k] === theirs[otherSlot * 16 + k];
        if (same) return slot;
      }
      return undefined;
    },
    hashAt: (slot) => hashes[slot]!,
    textAt: (slot) => (textual[slot] === 1 ? texts.get(slot) : undefined),
    bytes: () => bytes,
    trim(size) {
      if (cap > size) resize(size);
    },
  };
}

/** A uuid's 16 bytes into `into` at `at` when it is canonical; false (nothing written) otherwise. */
function toBytes(uuid: string, into: Uint8Array, at: number): boolean {
  if (uuid.length !== 36) return false;
  if (uuid.charCodeAt(8) !== HYPHEN || uuid.charCodeAt(13) !== HYPHEN || uuid.charCodeAt(18) !== HYPHEN || uuid.charCodeAt(23) !== HYPHEN) return false;
  for (let i = 0; i < 32; i++) if (nibble(uuid.charCodeAt(DIGIT_AT[i]!)) < 0) return false;
  for (let i = 0; i < 16; i++) into[at + i] = (nibble(uuid.charCodeAt(DIGIT_AT[2 * i]!)) << 4) | nibble(uuid.charCodeAt(DIGIT_AT[2 * i + 1]!));
  return true;
}

/** 0-15 for a lower-case hex digit, else -1 (an upper-case uuid is not canonical: it stays text, compared exactly). */
function nibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** A string hash spread over the low bits (linear probing takes the low bits). */
function hashOf(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> 15)) & 0x3fffffff;
}
