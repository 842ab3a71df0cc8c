// Scatters the new key and value rows into a layer's KV cache.
// k, v: (M, W) f32 with W = NKV*hd, rowpos: (M, 2) u32 (slot, position)
//   -> kc, vc: (S, L, W) f32 with kc[slot, pos, :] = k[r, :], vc[slot, pos, :] = v[r, :].
// Rows must name distinct (slot, position) pairs unless their values are equal (padding rows).
// bindings: 0 k, 1 v, 2 rowpos, 3 kc, 4 vc, 5 params { n = M*W, W, L }
override wg_size: u32 = 256u;

struct Params { n: u32, W: u32, L: u32 }

@group(0) @binding(0) var<storage, read> k: array<f32>;
@group(0) @binding(1) var<storage, read> v: array<f32>;
@group(0) @binding(2) var<storage, read> rowpos: array<u32>;
@group(0) @binding(3) var<storage, read_write> kc: array<f32>;
@group(0) @binding(4) var<storage, read_write> vc: array<f32>;
@group(0) @binding(5) var<uniform> params: Params;

@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let idx = gid.x + gid.y * groups.x * wg_size;
  if (idx >= params.n) { return; }
  let r = idx / params.W;
  let e = idx % params.W;
  let at = (rowpos[2u * r] * params.L + rowpos[2u * r + 1u]) * params.W + e;
  kc[at] = k[idx];
  vc[at] = v[idx];
}
