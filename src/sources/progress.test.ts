// Checks download rate and time-left figures (pure, Node, no GPU).
import { describe, expect, it } from "vitest";
import { freshSeed, mulberry32 } from "../util/random";
import { formatDuration, progressOf, RateMeter } from "./progress";

describe("RateMeter", () => {
  it("measures a steady rate and follows a change within the window", () => {
    const seed = freshSeed();
    const rate = 1000 + Math.floor(mulberry32(seed)() * 1e6);
    const meter = new RateMeter(2000);
    expect(meter.rate()).toBe(0);
    let bytes = 0;
    for (let t = 0; t <= 10_000; t += 250) {
      meter.sample(t, bytes);
      bytes += rate / 4;
    }
    expect(meter.rate(), `seed ${seed}`).toBeCloseTo(rate, 6);
    for (let t = 10_250; t <= 20_000; t += 250) {
      meter.sample(t, bytes);
      bytes += rate / 8;
    }
    expect(meter.rate(), `seed ${seed}`).toBeCloseTo(rate / 2, 6);
  });

  it("gives time left from the remaining bytes and the rate", () => {
    expect(progressOf(250, 1250, "f", 100).secondsLeft).toBe(10);
    expect(progressOf(250, 1250, "f", 0).secondsLeft).toBe(Infinity);
    expect(progressOf(1250, 1250, "f", 0).secondsLeft).toBe(0);
    expect(formatDuration(75)).toBe("1 min 15 s");
    expect(formatDuration(Infinity)).toBe("unknown");
  });
});
