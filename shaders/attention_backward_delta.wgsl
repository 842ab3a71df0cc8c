// Attention backward, step 1: delta = rowsum(dO ⊙ o) per (row, query head); padding rows get 0.
// o, dO: (B*Tmax, NH*hd), lens: (B) u32 -> delta: (B*Tmax, NH)
// bindings: 0 o, 1 dO, 2 lens, 3 delta, 4 params { n = B*Tmax*NH, Tmax, NH, hd }
override wg_size: u32 = 64u;

struct Params { n: u32, Tmax: u32, NH: u32, hd: u32 }

@group(0) @binding(0) var<storage, read> o: array<f32>;
@group(0) @binding(1) var<storage, read> dO: array<f32>;
@group(0) @binding(2) var<storage, read> lens: array<u32>;
@group(0) @binding(3) var<storage, read_write> delta: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let idx = gid.x + gid.y * groups.x * wg_size; // row * NH + h
  if (idx >= params.n) { return; }
  let row = idx / params.NH;
  let i = row % params.Tmax;
  let b = row / params.Tmax;
  var sum = 0.0;
  if (i < lens[b]) {
    let at = idx * params.hd;
    for (var d = 0u; d < params.hd; d++) { sum += dO[at + d] * o[at + d]; }
  }
  delta[idx] = sum;
}
