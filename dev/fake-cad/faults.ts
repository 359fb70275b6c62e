// Switchable misbehaviour, each one something a real CAD, CDN or network has done (`echo`: a proxy
// that answers an error quoting the request back, credentials included).
export type FaultMode =
  | 'latency'
  | '5xx'
  | '429'
  | 'html'
  | 'truncatedJson'
  | 'wrongSchema'
  | 'wrongShape'
  | 'totalChange'
  | 'reset'
  | 'hang'
  | 'hugeBody'
  | 'hostileTotal'
  | 'rewrite'
  | 'echo';

export type Route = 'accounts' | 'account' | 'links' | 'any';

export interface FaultOptions {
  /** Let this many matching requests through first. */
  after?: number;
  /** How many requests it hits (default: all). */
  times?: number;
  route?: Route;
  /** latency: delay; 5xx and echo: status; 429: retryAfter seconds; totalChange: accounts inserted; hugeBody: bytes. */
  ms?: number;
  status?: number;
  retryAfter?: number;
  insert?: number;
  bytes?: number;
  /** rewrite: edits the parsed JSON of a successful answer (hostile shapes a test needs). */
  rewrite?: (body: any) => unknown;
  /** latency: make the answer at once and deliver it `ms` later (slow on the way back), instead of delaying it. */
  late?: boolean;
  /** echo: how the proxy quotes the request back (upper-cased, encoded...); default as it is. */
  quote?: (echoed: string) => string;
}

export interface Fault extends Required<Pick<FaultOptions, 'after' | 'times' | 'route'>> {
  mode: FaultMode;
  opts: FaultOptions;
  seen: number;
  hits: number;
  clear(): void;
}

export function createFaults() {
  let faults: Fault[] = [];
  return {
    add(mode: FaultMode, opts: FaultOptions = {}): Fault {
      const fault: Fault = {
        mode,
        opts,
        after: opts.after ?? 0,
        times: opts.times ?? Infinity,
        route: opts.route ?? 'any',
        seen: 0,
        hits: 0,
        clear: () => {
          faults = faults.filter((f) => f !== fault);
        },
      };
      faults.push(fault);
      return fault;
    },
    clear() {
      faults = [];
    },
    /** The fault that applies to this request, if any (counts the request against every matching fault). */
    match(route: Exclude<Route, 'any'>): Fault | undefined {
      let chosen: Fault | undefined;
      for (const f of faults) {
        if (f.route !== 'any' && f.route !== route) continue;
        f.seen += 1;
        if (!chosen && f.seen > f.after && f.hits < f.times) {
          f.hits += 1;
          chosen = f;
        }
      }
      return chosen;
    },
  };
}
