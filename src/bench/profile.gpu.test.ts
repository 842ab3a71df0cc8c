// Checks profileDispatches: every dispatch is run (its output is written), times add up by label, slowest first.
import { expect, it } from "vitest";
import { makeDispatch, params, readF32, storageBuffer, getKernel } from "../gpu/kernel";
import { testDevice } from "../gpu/testing";
import { profileDispatches } from "./profile";

const FILL = `
@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<uniform> p: vec4<f32>;
@compute @workgroup_size(1)
fn main(@builtin(workgroup_id) wid: vec3<u32>) { y[wid.x] += p.x; }
`;

it("runs each dispatch once after a warm-up and sums seconds by kernel label", async () => {
  const device = await testDevice();
  const y = storageBuffer(device, new Float32Array(4));
  const one = getKernel(device, "profile_a", FILL);
  const two = getKernel(device, "profile_b", FILL + "\n// b");
  const p = (v: number) => params(device, [["f32", v], ["f32", 0], ["f32", 0], ["f32", 0]]);
  const list = [makeDispatch(device, one, [y, p(1)], [4]), makeDispatch(device, two, [y, p(10)], [4]), makeDispatch(device, one, [y, p(100)], [4])];
  const got = await profileDispatches(device, list);
  // Warm-up pass + profiled pass: each element got 2 · (1 + 10 + 100).
  expect(Array.from(await readF32(device, y, 4))).toEqual([222, 222, 222, 222]);
  expect(got.map((k) => [k.label, k.dispatches]).sort()).toEqual([["profile_a", 2], ["profile_b", 1]]);
  expect(got.every((k) => k.seconds > 0)).toBe(true);
  expect(got[0]!.seconds).toBeGreaterThanOrEqual(got[1]!.seconds);
});
