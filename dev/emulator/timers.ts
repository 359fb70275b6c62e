// A resource's timers, ported from data/shared/citizen/scripting/v8/timer.js: nothing fires on its own;
// the server's tick calls onTick, which runs the timers that are due (`now - lastRun > interval`, lastRun
// being the previous tick's time, so a timer can fire up to a tick early), then every setTick callback
// whose previous promise has settled. setImmediate is setTimeout(0): the next tick, not the next turn of
// Node's loop.
import { isThenable } from './serialize';

interface Timer {
  callback: () => void;
  interval: number;
  lastRun: number;
}

interface Ticker {
  callback: () => unknown;
  promise: PromiseLike<unknown> | null;
}

export interface TimerHooks {
  /** The time of the tick in progress or the last one (Citizen.getTickCount). */
  gameTime(): number;
  /** printError(where, e): `SCRIPT ERROR in timer|ticker`. */
  scriptError(where: string, err: unknown): void;
  /** A timer or ticker was added: the server loop must keep ticking. */
  busy(): void;
}

export interface TimerHandle {
  id: number;
  unref(): TimerHandle;
  ref(): TimerHandle;
  hasRef(): boolean;
  refresh(): TimerHandle;
  [Symbol.toPrimitive](): number;
}

const normalizeInterval = (interval: unknown) => Math.max(1, Math.min(2147483647, Number(interval) || 1)) | 0;

export function createTimers(hooks: TimerHooks) {
  let gameTime = hooks.gameTime();
  const timers = new Map<number, Timer>();
  const tickers = new Map<number, Ticker>();
  let timerId = 0;
  let tickerId = 0;

  // Callbacks that return a promise: timer.js ignores it, so a rejection is an unhandled one, which
  // FXServer prints as a script error. Logged here so the host's own handler never sees it.
  const watch = (out: unknown) => {
    if (isThenable(out)) out.then(undefined, (err) => hooks.scriptError('promise (unhandled rejection)', err));
  };

  function mustBeFunction(callback: unknown) {
    if (typeof callback !== 'function') throw new TypeError(`Callback must be a function. Received ${String(callback)}`);
  }

  function nextTimerId(): TimerHandle {
    const id = ++timerId;
    return {
      id,
      unref() {
        return this;
      },
      ref() {
        return this;
      },
      hasRef: () => true,
      refresh() {
        const timer = timers.get(id);
        if (timer) timer.lastRun = gameTime;
        return this;
      },
      [Symbol.toPrimitive]: () => id,
    };
  }

  function setTimer(handle: TimerHandle, callback: () => void, interval: unknown) {
    timers.set(handle.id, { callback, interval: normalizeInterval(interval), lastRun: gameTime });
    hooks.busy();
  }

  // timer.js reads `timer.id`: a bare number (or anything else) clears nothing.
  const clearTimer = (timer: unknown) => {
    if (!timer) return;
    timers.delete((timer as { id?: number }).id as number);
  };

  function setInterval(callback: (...a: unknown[]) => unknown, interval?: number, ...args: unknown[]) {
    mustBeFunction(callback);
    const handle = nextTimerId();
    setTimer(handle, () => watch(callback(...args)), interval);
    return handle;
  }

  function setTimeout(callback: (...a: unknown[]) => unknown, timeout?: number, ...args: unknown[]) {
    mustBeFunction(callback);
    const handle = nextTimerId();
    setTimer(
      handle,
      () => {
        try {
          watch(callback(...args));
        } finally {
          clearTimer(handle);
        }
      },
      timeout,
    );
    return handle;
  }

  function setTick(callback: () => unknown) {
    mustBeFunction(callback);
    const id = ++tickerId;
    tickers.set(id, { callback, promise: null });
    hooks.busy();
    return id;
  }

  const clearTick = (id: unknown) => {
    if (id) tickers.delete(id as number);
  };

  function onTick(localGameTime: number) {
    // for..in over timer.js's object: keys added during the loop are not visited, deleted ones are skipped.
    for (const id of [...timers.keys()]) {
      const timer = timers.get(id);
      if (!timer) continue;
      if (localGameTime - timer.lastRun > timer.interval) {
        try {
          timer.callback();
        } catch (err) {
          hooks.scriptError('timer', err);
        }
        timer.lastRun = localGameTime;
      }
    }
    for (const id of [...tickers.keys()]) {
      const ticker = tickers.get(id);
      if (!ticker || (ticker.promise !== null && ticker.promise !== undefined)) continue;
      let result: unknown;
      try {
        result = ticker.callback();
      } catch (err) {
        hooks.scriptError('ticker', err);
        continue;
      }
      // A returned promise holds this ticker until it settles.
      if (isThenable(result)) {
        ticker.promise = result.then(
          () => {
            const t = tickers.get(id);
            if (t) t.promise = null;
          },
          (err) => {
            // timer.js: `.then(resolveTicker).catch(printTickerError)` clears the hold only on success,
            // so a ticker whose promise rejects is printed once and never runs again.
            hooks.scriptError('ticker', err);
          },
        );
      }
    }
    gameTime = localGameTime;
  }

  return {
    globals: {
      setTick,
      clearTick,
      setTimeout,
      clearTimeout: clearTimer,
      setInterval,
      clearInterval: clearTimer,
      setImmediate: (callback: (...a: unknown[]) => unknown, ...args: unknown[]) => {
        mustBeFunction(callback);
        return setTimeout(callback, 0, ...args);
      },
      clearImmediate: clearTimer,
    },
    onTick,
    /** Live timers and tickers (activeTimersCount + activeTickersCount). */
    count: () => timers.size + tickers.size,
    clearAll() {
      timers.clear();
      tickers.clear();
    },
  };
}
