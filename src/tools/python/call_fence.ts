// The call fence of the Python sandbox's worker: what one call schedules does
// not outlive it. Installed before Pyodide loads, it wraps the worker's
// schedulers; once armed (after boot), everything scheduled belongs to the
// current epoch, and every epoch ends when a call ends and when the next one
// begins. Ending an epoch clears its timers (setTimeout, setInterval,
// requestAnimationFrame), closes the MessageChannels and BroadcastChannels made
// in it, puts the worker's own `on…` handlers back, and drops its callbacks
// that are still queued (queueMicrotask, scheduler.postTask, event listeners,
// FinalizationRegistry, Atomics.waitAsync, and Pyodide's own scheduler through
// gate()). What was scheduled during boot is left alone.
//
// Not covered: a continuation of a promise that some other browser operation
// settles later (an `await` on a WebAssembly compile) runs once, after the
// call; whatever it schedules in turn is cleared before the next call. The
// fence keeps the originals in this closure only, and every wrapper replaces
// its original everywhere it is reachable (globals, `prototype.constructor`).

type Callback = (...args: unknown[]) => unknown;

/** What the sandbox's worker does with the fence. */
export type CallFence = {
  /** From now on, what is scheduled belongs to the current call (called once, after boot). */
  arm(): void;
  /** Starts a call: whatever was scheduled since the last call ended is cleared first. */
  begin(): void;
  /** Ends a call: whatever it scheduled is cleared. */
  end(): void;
  /** Wraps a scheduler `(callback, ...rest)` so the callbacks it is given after arm() run only within their epoch. */
  gate<F extends (callback: Callback, ...rest: never[]) => unknown>(schedule: F): F;
  /** How many timers, frames and channels are currently tracked (tests). */
  tracked(): number;
};

/** The globals the fence wraps, as a worker scope has them (any may be missing). */
type FenceScope = Record<string, unknown> & {
  setTimeout?: (handler: unknown, ms?: number, ...args: unknown[]) => number;
  setInterval?: (handler: unknown, ms?: number, ...args: unknown[]) => number;
  clearTimeout?: (id: number) => void;
  clearInterval?: (id: number) => void;
  requestAnimationFrame?: (callback: Callback) => number;
  cancelAnimationFrame?: (id: number) => void;
  queueMicrotask?: (callback: Callback) => void;
};

const SYSTEM = -1;

/**
 * Puts `value` in place of `name` on `target` and on every prototype of it that holds its own copy, fixed, so
 * the original is left nowhere but in the caller's closure.
 */
function replace(target: object, name: string, value: unknown): void {
  let found = false;
  for (let o: object | null = target; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    if (!Object.prototype.hasOwnProperty.call(o, name)) continue;
    found = true;
    Object.defineProperty(o, name, { value, writable: false, configurable: false, enumerable: false });
  }
  if (!found) Object.defineProperty(target, name, { value, writable: false, configurable: false });
}

/**
 * Wraps `scope`'s schedulers; returns the fence that ends their epochs.
 * @param scope the worker's global object (a stand-in in Node tests)
 */
export function installCallFence(scope: FenceScope): CallFence {
  let armed = false;
  let epoch = 0;
  const timers = new Set<number>();
  const frames = new Set<number>();
  const closers = new Set<() => void>();
  let handlers: Array<{ target: Record<string, unknown>; name: string; value: unknown }> = [];

  const current = (): number => (armed ? epoch : SYSTEM);
  const live = (mine: number): boolean => mine === SYSTEM || mine === epoch;
  const guarded = (callback: Callback, mine: number): Callback =>
    function fenced(this: unknown, ...args: unknown[]) {
      if (live(mine)) return Reflect.apply(callback, this, args);
      return undefined;
    };

  // Timers: the id the browser returns, so clearTimeout/clearInterval keep working unwrapped.
  const realSetTimeout = scope.setTimeout?.bind(scope);
  const realSetInterval = scope.setInterval?.bind(scope);
  const realClearTimeout = scope.clearTimeout?.bind(scope);
  const realClearInterval = scope.clearInterval?.bind(scope);
  if (realSetTimeout && realClearTimeout) {
    replace(scope, "setTimeout", function setTimeout(handler: unknown, ms?: number, ...args: unknown[]): number {
      if (typeof handler !== "function") return realSetTimeout(handler, ms, ...args); // strings: refused by the policy
      const mine = current();
      const run = guarded(handler as Callback, mine);
      const id: number = realSetTimeout(() => {
        timers.delete(id);
        run(...args);
      }, ms);
      if (mine !== SYSTEM) timers.add(id);
      return id;
    });
  }
  if (realSetInterval) {
    replace(scope, "setInterval", function setInterval(handler: unknown, ms?: number, ...args: unknown[]): number {
      if (typeof handler !== "function") return realSetInterval(handler, ms, ...args);
      const mine = current();
      const id = realSetInterval(guarded(handler as Callback, mine), ms, ...args);
      if (mine !== SYSTEM) timers.add(id);
      return id;
    });
  }
  const realRequestFrame = scope.requestAnimationFrame?.bind(scope);
  const realCancelFrame = scope.cancelAnimationFrame?.bind(scope);
  if (realRequestFrame && realCancelFrame) {
    replace(scope, "requestAnimationFrame", function requestAnimationFrame(callback: Callback): number {
      const mine = current();
      const run = guarded(callback, mine);
      const id: number = realRequestFrame((time: unknown) => {
        frames.delete(id);
        run(time);
      });
      if (mine !== SYSTEM) frames.add(id);
      return id;
    });
  }
  const realQueueMicrotask = scope.queueMicrotask?.bind(scope);
  if (realQueueMicrotask) {
    replace(scope, "queueMicrotask", function queueMicrotask(callback: Callback): void {
      realQueueMicrotask(guarded(callback, current()));
    });
  }

  const scheduler = scope.scheduler as { postTask?: (callback: Callback, options?: unknown) => Promise<unknown> } | undefined;
  const realPostTask = scheduler?.postTask?.bind(scheduler);
  if (scheduler && realPostTask) {
    replace(scheduler, "postTask", function postTask(callback: Callback, options?: unknown) {
      return realPostTask(guarded(callback, current()), options);
    });
  }

  // Constructors: the wrapper takes the original's place as its prototype's constructor too.
  const replaceConstructor = (name: string, make: (Real: new (...args: never[]) => object) => (...args: unknown[]) => object) => {
    const Real = scope[name] as (new (...args: never[]) => object) | undefined;
    if (typeof Real !== "function") return;
    const wrapper = make(Real) as unknown as { prototype: object };
    wrapper.prototype = Real.prototype;
    Object.defineProperty(Real.prototype, "constructor", { value: wrapper, writable: false, configurable: false });
    replace(scope, name, wrapper);
  };
  replaceConstructor("MessageChannel", (Real) =>
    function MessageChannel() {
      const channel = new (Real as new () => { port1: MessagePort; port2: MessagePort })();
      if (current() !== SYSTEM) {
        closers.add(() => {
          channel.port1.close();
          channel.port2.close();
        });
      }
      return channel;
    },
  );
  replaceConstructor("BroadcastChannel", (Real) =>
    function BroadcastChannel(name: unknown) {
      const channel = new (Real as new (name: unknown) => { close(): void })(name);
      if (current() !== SYSTEM) closers.add(() => channel.close());
      return channel;
    },
  );
  replaceConstructor("FinalizationRegistry", (Real) =>
    function FinalizationRegistry(cleanup: unknown) {
      return new (Real as new (cleanup: Callback) => object)(guarded(cleanup as Callback, current()));
    },
  );

  // Event listeners added during a call are dropped with its epoch (the same wrapper removes them).
  const eventTarget = scope.EventTarget as { prototype: Record<string, Callback> } | undefined;
  if (eventTarget) {
    const proto = eventTarget.prototype;
    const realAdd = proto.addEventListener!;
    const realRemove = proto.removeEventListener!;
    const wrappers = new WeakMap<object, Callback>();
    replace(proto, "addEventListener", function addEventListener(this: unknown, type: unknown, listener: unknown, options?: unknown) {
      const mine = current();
      if (mine === SYSTEM || listener === null || (typeof listener !== "function" && typeof listener !== "object")) {
        return Reflect.apply(realAdd, this, [type, listener, options]);
      }
      let wrapped = wrappers.get(listener as object);
      if (!wrapped) {
        const target = listener as Callback | { handleEvent: Callback };
        wrapped = guarded(function (this: unknown, ...args: unknown[]) {
          return typeof target === "function" ? Reflect.apply(target, this, args) : target.handleEvent(...args);
        }, mine);
        wrappers.set(listener as object, wrapped);
      }
      return Reflect.apply(realAdd, this, [type, wrapped, options]);
    });
    replace(proto, "removeEventListener", function removeEventListener(this: unknown, type: unknown, listener: unknown, options?: unknown) {
      const wrapped = listener !== null && typeof listener === "object" ? wrappers.get(listener) : typeof listener === "function" ? wrappers.get(listener) : undefined;
      Reflect.apply(realRemove, this, [type, listener, options]);
      if (wrapped) Reflect.apply(realRemove, this, [type, wrapped, options]);
    });
  }

  const atomics = scope.Atomics as { waitAsync?: (...args: unknown[]) => { async: boolean; value: unknown } } | undefined;
  const realWaitAsync = atomics?.waitAsync?.bind(atomics);
  if (atomics && realWaitAsync) {
    replace(atomics, "waitAsync", function waitAsync(...args: unknown[]) {
      const result = realWaitAsync(...args);
      const mine = current();
      if (result.async && mine !== SYSTEM) {
        result.value = (result.value as Promise<unknown>).then((value) => (live(mine) ? value : new Promise(() => {})));
      }
      return result;
    });
  }

  /** The `on…` handler properties of the worker's event targets, as they are now. */
  const recordHandlers = () => {
    const targets = [scope, scope.fonts, scope.performance].filter((t): t is Record<string, unknown> => typeof t === "object" && t !== null);
    handlers = [];
    for (const target of targets) {
      for (let o: object | null = target; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
        for (const name of Object.getOwnPropertyNames(o)) {
          const descriptor = Object.getOwnPropertyDescriptor(o, name);
          if (!name.startsWith("on") || !descriptor?.set) continue;
          handlers.push({ target, name, value: target[name] });
        }
      }
    }
  };

  const close = () => {
    for (const id of timers) {
      realClearInterval?.(id);
      realClearTimeout?.(id);
    }
    timers.clear();
    for (const id of frames) realCancelFrame?.(id);
    frames.clear();
    for (const closeOne of closers) {
      try {
        closeOne();
      } catch {
        // A channel that cannot be closed is already unusable.
      }
    }
    closers.clear();
    for (const { target, name, value } of handlers) {
      try {
        if (target[name] !== value) target[name] = value;
      } catch {
        // A handler that cannot be set cannot have been set by the call either.
      }
    }
    epoch++;
  };

  return {
    arm() {
      if (armed) return;
      recordHandlers();
      armed = true;
      epoch++;
    },
    begin: () => {
      if (armed) close();
    },
    end: () => {
      if (armed) close();
    },
    gate(schedule) {
      return function gated(this: unknown, callback: Callback, ...rest: never[]) {
        return Reflect.apply(schedule, this, [guarded(callback, current()), ...rest]);
      } as unknown as typeof schedule;
    },
    tracked: () => timers.size + frames.size + closers.size,
  };
}
