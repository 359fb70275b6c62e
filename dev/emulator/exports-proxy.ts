// The `exports` global, ported from createExports in data/shared/citizen/scripting/v8/main.js.
// `exports(name, fn)` registers an ordinary event handler `__cfx_export_<self>_<name>` that hands `fn`
// back; `exports.res.name` emits that event once with a callback, caches what comes back (a function
// reference) and wraps every call so that any error becomes FXServer's generic one.

export interface ExportsDeps {
  self: string;
  /** emit from this runtime (arguments are packed, handlers run synchronously). */
  emit(event: string, ...args: unknown[]): void;
  /** on() in this runtime. */
  on(event: string, fn: (...args: any[]) => unknown): void;
  /** exportsCallbackCache: cleared per resource when that resource stops. */
  cache: Map<string, Map<string, (...args: unknown[]) => unknown>>;
}

export const exportEventName = (resource: string, name: string) => `__cfx_export_${resource === 'txAdmin' ? 'monitor' : resource}_${name}`;

export function createExports({ self, emit, on, cache }: ExportsDeps) {
  return new Proxy(() => {}, {
    get(_t, resource) {
      return new Proxy(
        {},
        {
          get(_t2, k) {
            // main.js builds the event name with a template literal: a Symbol key throws a TypeError there too.
            const key = `${k as string}`;
            const res = `${resource as string}`;
            if (!cache.has(res)) cache.set(res, new Map());
            const forResource = cache.get(res)!;
            if (!forResource.get(key)) {
              emit(exportEventName(res, key), (exportData: (...args: unknown[]) => unknown) => {
                forResource.set(key, exportData);
              });
              if (!forResource.get(key)) throw new Error(`No such export ${key} in resource ${res}`);
            }
            return (...args: unknown[]) => {
              try {
                // Read again at call time, as main.js does: a stop in between empties the cache.
                return (cache.get(res)?.get(key) as (...a: unknown[]) => unknown)(...args);
              } catch {
                throw new Error(`An error occurred while calling export ${key} of resource ${res} - see above for details`);
              }
            };
          },
          set() {
            throw new Error('cannot set values on an export resource');
          },
        },
      );
    },
    apply(_t, _self, args: unknown[]) {
      if (args.length !== 2) throw new Error('this needs 2 arguments');
      const [exportName, func] = args;
      on(exportEventName(self, String(exportName)), (setCB: (f: unknown) => void) => {
        setCB(func);
      });
    },
    set() {
      throw new Error('cannot set values on exports');
    },
  });
}
