// Checks the call fence (Node, no GPU, no browser) on a stand-in worker scope: what a call schedules (timers,
// intervals, microtasks, listeners, channels, gated schedulers) never runs after the call ends, what boot scheduled
// keeps running, and the originals are left nowhere code could find them.
import { MessageChannel as NodeMessageChannel } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { installCallFence } from "./call_fence.ts";

type Listener = (...args: unknown[]) => void;

/** An EventTarget class of its own per scope, so the fence's wrappers (which it fixes in place) touch neither Node's nor another test's. */
function standInTargetClass() {
  return class StandInTarget {
    listeners: Array<[string, Listener]> = [];
    addEventListener(type: string, listener: Listener): void {
      this.listeners.push([type, listener]);
    }
    removeEventListener(type: string, listener: Listener): void {
      this.listeners = this.listeners.filter(([t, l]) => t !== type || l !== listener);
    }
    dispatch(type: string): void {
      for (const [t, l] of this.listeners) if (t === type) l();
    }
  };
}

function standInScope() {
  return {
    setTimeout: (handler: () => void, ms?: number) => setTimeout(handler, ms) as unknown as number,
    setInterval: (handler: () => void, ms?: number) => setInterval(handler, ms) as unknown as number,
    clearTimeout: (id: number) => clearTimeout(id as unknown as NodeJS.Timeout),
    clearInterval: (id: number) => clearInterval(id as unknown as NodeJS.Timeout),
    queueMicrotask: (callback: () => void) => queueMicrotask(callback),
    EventTarget: standInTargetClass(),
    // A class per scope: the fence fixes its prototype's constructor.
    MessageChannel: class StandInChannel extends NodeMessageChannel {},
  } as Record<string, unknown>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("installCallFence", () => {
  it("clears what a call scheduled when it ends, and leaves what boot scheduled", async () => {
    const scope = standInScope();
    const fence = installCallFence(scope);
    const fired: string[] = [];
    const set = scope.setTimeout as (f: () => void, ms: number) => number;
    const every = scope.setInterval as (f: () => void, ms: number) => number;
    const micro = scope.queueMicrotask as (f: () => void) => void;
    const bootInterval = every(() => fired.push("boot"), 5);
    fence.arm();

    fence.begin();
    set(() => fired.push("timeout"), 5);
    every(() => fired.push("interval"), 5);
    micro(() => fired.push("microtask"));
    expect(fence.tracked()).toBe(2);
    fence.end();
    expect(fence.tracked()).toBe(0);
    await sleep(40);
    clearInterval(bootInterval as unknown as NodeJS.Timeout);
    expect(fired.filter((f) => f !== "boot")).toEqual([]);
    expect(fired).toContain("boot");
  });

  it("lets a call's timers run while the call lasts, and clears at the next begin what ran up between calls", async () => {
    const scope = standInScope();
    const fence = installCallFence(scope);
    const set = scope.setTimeout as (f: () => void, ms: number) => number;
    fence.arm();
    const fired: string[] = [];
    fence.begin();
    set(() => fired.push("within"), 1);
    await sleep(20); // a call that awaits (run_sync) lets its own timers run
    fence.end();
    set(() => fired.push("between calls"), 30);
    fence.begin();
    await sleep(50);
    fence.end();
    expect(fired).toEqual(["within"]);
  });

  it("drops the listeners a call added, keeps boot's, and removes a listener through its wrapper", () => {
    const scope = standInScope();
    const fence = installCallFence(scope);
    const target = new (scope.EventTarget as ReturnType<typeof standInTargetClass>)();
    const heard: string[] = [];
    target.addEventListener("message", () => heard.push("boot"));
    fence.arm();
    fence.begin();
    const removed = () => heard.push("removed");
    target.addEventListener("message", () => heard.push("call"));
    target.addEventListener("message", removed);
    target.removeEventListener("message", removed);
    target.dispatch("message");
    fence.end();
    target.dispatch("message");
    expect(heard).toEqual(["boot", "call", "boot"]);
  });

  it("closes the channels a call made and drops what a gated scheduler was given", async () => {
    const scope = standInScope();
    const fence = installCallFence(scope);
    const queued: Array<() => void> = [];
    const schedule = fence.gate((callback: () => void) => void queued.push(callback));
    fence.arm();
    fence.begin();
    const channel = new (scope.MessageChannel as new () => NodeMessageChannel)();
    const heard: unknown[] = [];
    channel.port1.on("message", (m) => heard.push(m));
    schedule(() => heard.push("gated"));
    fence.end();
    channel.port2.postMessage("after the call");
    for (const callback of queued) callback();
    await sleep(20);
    expect(heard).toEqual([]);
  });

  it("leaves the originals nowhere: fixed globals, and the wrapper as the prototype's constructor", () => {
    const scope = standInScope();
    const Original = scope.MessageChannel as typeof NodeMessageChannel;
    installCallFence(scope);
    const wrapped = scope.setTimeout;
    expect(() => {
      "use strict";
      scope.setTimeout = () => 0;
    }).toThrow(TypeError);
    expect(scope.setTimeout).toBe(wrapped);
    expect(Original.prototype.constructor).toBe(scope.MessageChannel);
    expect(new (scope.MessageChannel as new () => object)()).toBeInstanceOf(Original);
  });
});
