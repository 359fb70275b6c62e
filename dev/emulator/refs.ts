// Function references, as data/shared/citizen/scripting/v8/main.js makes and calls them. Exports,
// deferrals, setKickReason, command handlers and any function inside event/export data are references:
// the caller packs its arguments, the owner unpacks them, runs the function and packs `[result]` back
// (Citizen.setCallRefFunction); the caller unpacks that (refFunctionUnpacker). Hence:
//   - the result arrives msgpacked (undefined -> null), and so do the arguments;
//   - a function that throws prints `SCRIPT ERROR in call ref` in its own resource and answers nil, which
//     the caller turns into `Error in nested ref call for <caller>. ...`;
//   - a Promise result becomes `{ __cfx_async_retval }`: the caller's promise resolves with the value
//     packed again, or rejects with a *string* (the error's message).
import { luaReturnValues } from './lua-values';
import { createCodec, isThenable, type Codec } from './serialize';

interface RefEntry {
  fn: (...args: unknown[]) => unknown;
  /** null: a server-side callback (C++ in FXServer), which answers nothing. */
  owner: string | null;
}

export interface RefHooks {
  /** false once the owner stopped: its runtime, and so its references, are gone. */
  isRunning(resource: string): boolean;
  /** The owner's own Promise (a resource runs in its own realm), to tell a promise result. */
  promiseOf(resource: string | null): PromiseConstructor;
  scriptError(resource: string, where: string, err: unknown): void;
  print(resource: string, text: string): void;
  /** GetInvokingResource while the owner runs; returns the previous value. */
  setInvoking(resource: string | null): string | null;
  invoking(): string | null;
  warn(text: string): void;
}

export function createRefs(hooks: RefHooks) {
  // Every unpack of a packed value happens in the same synchronous run as its pack (an emit delivers at
  // once, a call answers at once), so a reference only needs finding until then; afterwards the callables
  // made from it hold their entry, and it lives exactly as long as they do (main.js refcounts instead).
  const pending = new Map<string, RefEntry>();
  let nextRef = 0;

  const codec: Codec = createCodec({
    refOf(fn, owner) {
      const ref = `${owner ?? ''}:${nextRef++}`;
      pending.set(ref, { fn, owner });
      queueMicrotask(() => pending.delete(ref));
      return ref;
    },
    callerOf: (ref, reader) => callerOf(ref, pending.get(ref), reader),
    warn: hooks.warn,
  });

  /** The owner's side of a call: Citizen.setCallRefFunction. Returns the packed return values. */
  function callInto(ref: string, entry: RefEntry | undefined, argsPacked: Uint8Array, caller: string | null): Uint8Array {
    if (!entry) {
      const owner = ref.slice(0, ref.lastIndexOf(':'));
      if (owner) hooks.print(owner, `Invalid ref call attempt: ${ref}`);
      return codec.pack([], null, 'ref');
    }
    if (entry.owner !== null && !hooks.isRunning(entry.owner)) throw new Error(`${entry.owner} is not running`);
    const previous = hooks.setInvoking(caller);
    try {
      const args = codec.unpack(argsPacked, entry.owner) as unknown[];
      const rv = entry.fn(...args);
      if (entry.owner === null) return codec.pack([], null, 'ref');
      const where = `result of a call into ${entry.owner}`;
      if (rv instanceof hooks.promiseOf(entry.owner) || rv instanceof Promise) {
        const promise = rv as Promise<unknown>;
        const asyncRetval = (cb: ((...a: unknown[]) => unknown) | null) => {
          promise
            .then((v) => {
              if (cb != null) cb([v], null);
            })
            .catch((err: unknown) => {
              if (cb != null) {
                let msg = '';
                if (err) msg = (err as { message?: unknown }).message ? String((err as Error).message) : String(err);
                cb(null, msg);
              }
            });
        };
        return codec.pack([{ __cfx_async_retval: asyncRetval }], entry.owner, where);
      }
      // A Lua function's return values (a framework stand-in's): packed as they are, not wrapped.
      const luaValues = luaReturnValues(rv);
      return codec.pack(luaValues ?? [rv], entry.owner, where);
    } catch (err) {
      if (entry.owner !== null) hooks.scriptError(entry.owner, 'call ref', err);
      return codec.pack(null, entry.owner, 'ref');
    } finally {
      hooks.setInvoking(previous);
    }
  }

  /** The caller's side: refFunctionUnpacker. */
  function callerOf(ref: string, entry: RefEntry | undefined, reader: string | null) {
    const invoker = hooks.invoking();
    const self = reader ?? 'the server';
    return function (...args: unknown[]): unknown {
      let retvals: unknown[] | null = null;
      try {
        retvals = codec.unpack(callInto(ref, entry, codec.pack(args, reader, `arguments of a call from ${self}`), reader), reader) as unknown[] | null;
      } catch {
        // main.js swallows this (a pack that throws included) and reports the generic error below.
      }
      if (retvals === null) {
        let message = `Error in nested ref call for ${self}. `;
        if (invoker) {
          message += `${self} tried to call a function reference in ${invoker} but the reference wasn't valid. `;
          message += hooks.isRunning(invoker) ? `(did ${invoker} restart recently?)` : `And ${invoker} isn't started, was the resource restarted mid call?`;
        }
        throw new Error(message);
      }
      switch (retvals.length) {
        case 0:
          return undefined;
        case 1: {
          const rv = retvals[0] as { __cfx_async_retval?: (cb: (v: unknown[], e: unknown) => void) => void } | null;
          if (rv && rv.__cfx_async_retval) {
            const asyncRetval = rv.__cfx_async_retval;
            return new Promise((res, rej) => {
              asyncRetval((v, e) => {
                if (e != null) rej(e);
                else res(v.length === 0 ? undefined : v.length === 1 ? v[0] : v);
              });
            });
          }
          return rv;
        }
        default:
          return retvals;
      }
    };
  }

  return {
    ...codec,
    /** Packs a value from `owner` and unpacks it for `reader`: what crossing one boundary does. */
    cross: (value: unknown, owner: string | null, reader: string | null, where: string) => codec.unpack(codec.pack(value, owner, where), reader),
  };
}

export type Refs = ReturnType<typeof createRefs>;
export { isThenable };
