// Everything that crosses a runtime boundary in FXServer (event arguments, export arguments and results,
// state bag values) is msgpack, packed and unpacked by data/shared/citizen/scripting/v8/main.js with the
// codec of msgpack.js (a msgpack-lite fork, `preset: false`). The emulator packs and unpacks for real with
// @msgpack/msgpack and adds what the fork does differently, each probed against the real msgpack.js:
//   undefined -> nil (a key keeps its name), -0 -> 0, Symbol -> nil, BigInt -> throws
//   `Unsupported type "bigint": 1`, functions -> ext 10 (a function reference, callable from the other
//   side), Date/Map/Set/RegExp/Error/class instances -> a map of their own enumerable keys,
//   Buffer/typed arrays -> a map of byte indexes (the fork's bundled Buffer does not know Node's).
import { decode, Decoder, encode, Encoder, ExtData, type ExtensionCodecType } from '@msgpack/msgpack';

/** main.js EXT_FUNCREF. */
const EXT_FUNCREF = 10;
/** Emulator-private ext types: values msgpack.js writes as nil or as a map, which the library would not. */
const EXT_NIL = 100;
const EXT_AS_MAP = 101;
/** msgpack-lite has no depth limit (a cycle overflows the stack); this only stops cycles early. */
const MAX_DEPTH = 2000;

export interface PackContext {
  /** Resource whose functions are being packed (null: the server itself, like a C++ callback). */
  owner: string | null;
  where: string;
}
interface UnpackContext {
  /** Resource that unpacks: function references become callables that call from there. */
  reader: string | null;
}

export interface CodecHooks {
  /** Registers a packed function; returns the reference text stored in the ext payload. */
  refOf(fn: (...args: unknown[]) => unknown, owner: string | null): string;
  /** The callable a reader gets for a reference (main.js refFunctionUnpacker). */
  callerOf(ref: string, reader: string | null): (...args: unknown[]) => unknown;
  warn(text: string): void;
}

export function createCodec(hooks: CodecHooks) {
  const text = new TextEncoder();
  const bytesText = new TextDecoder();

  const packCodec: ExtensionCodecType<PackContext> = {
    tryToEncode(value, ctx) {
      switch (typeof value) {
        case 'function':
          return new ExtData(EXT_FUNCREF, text.encode(hooks.refOf(value as (...a: unknown[]) => unknown, ctx.owner)));
        case 'symbol':
          hooks.warn(`${ctx.where}: a Symbol arrives as null`);
          return new ExtData(EXT_NIL, new Uint8Array());
        case 'bigint':
          // msgpack.js's own message; the pack (and so the emit, export call or state bag set) throws.
          throw new Error(`Unsupported type "bigint": ${value}`);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
      if (ArrayBuffer.isView(value)) {
        hooks.warn(`${ctx.where}: a ${value.constructor.name} arrives as an object of byte indexes`);
        return new ExtData(EXT_AS_MAP, encode({ ...(value as unknown as Record<string, unknown>) }));
      }
      const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
      const plain = Object.prototype.toString.call(value) === '[object Object]' && (proto === null || proto.constructor?.name === 'Object');
      if (!plain) hooks.warn(`${ctx.where}: a ${proto?.constructor?.name ?? 'object'} is not plain data and arrives as a plain object of its own keys`);
      return null; // the library writes a map of Object.keys, as msgpack-lite does
    },
    decode(data, type, ctx) {
      if (type === EXT_FUNCREF) return hooks.callerOf(bytesText.decode(data), (ctx as unknown as UnpackContext).reader);
      if (type === EXT_NIL) return null;
      if (type === EXT_AS_MAP) return decode(data);
      throw new Error(`unknown msgpack ext type ${type}`);
    },
  };
  const unpackCodec = packCodec as unknown as ExtensionCodecType<UnpackContext>;

  // One encoder and one decoder, reused (a fresh one allocates its buffers on every call); their context
  // is set per call and put back, so a pack inside a pack could not mix them up.
  const packing: PackContext = { owner: null, where: '' };
  const unpacking: UnpackContext = { reader: null };
  const encoder = new Encoder({ extensionCodec: packCodec, context: packing, maxDepth: MAX_DEPTH });
  const decoder = new Decoder({ extensionCodec: unpackCodec, context: unpacking });

  function pack(value: unknown, owner: string | null, where: string): Uint8Array {
    const previous = { ...packing };
    packing.owner = owner;
    packing.where = where;
    try {
      return encoder.encode(value);
    } finally {
      Object.assign(packing, previous);
    }
  }
  function unpack(bytes: Uint8Array, reader: string | null): unknown {
    const previous = unpacking.reader;
    unpacking.reader = reader;
    try {
      return decoder.decode(bytes);
    } finally {
      unpacking.reader = previous;
    }
  }

  return { pack, unpack };
}

export type Codec = ReturnType<typeof createCodec>;

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
