// Checks blockNetwork (Node, no GPU): on a stand-in worker scope, every network global, own or inherited, becomes a stub that throws and cannot be put back.
import { describe, expect, it } from "vitest";
import { blockNetwork, NETWORK_GLOBALS, NETWORK_MARKER } from "./network_block.ts";

describe("blockNetwork", () => {
  it("replaces own and inherited network globals by throwing, fixed stubs", () => {
    const proto = { fetch: () => "data from the network", importScripts: () => "loaded" };
    const scope = Object.create(proto) as Record<string, unknown>;
    scope.XMLHttpRequest = class {};
    scope.unrelated = () => "kept";
    const replaced = blockNetwork(scope);
    expect(replaced).toEqual([...NETWORK_GLOBALS]);
    for (const name of NETWORK_GLOBALS) {
      const stub = scope[name] as () => unknown;
      expect(() => stub(), name).toThrow(NETWORK_MARKER);
    }
    // The prototype's own copy is replaced too, so it cannot be fetched from there.
    expect(() => (proto.fetch as () => unknown)()).toThrow(NETWORK_MARKER);
    expect(() => {
      "use strict";
      scope.fetch = () => "back";
    }).toThrow(TypeError);
    expect((scope.unrelated as () => string)()).toBe("kept");
  });
});
