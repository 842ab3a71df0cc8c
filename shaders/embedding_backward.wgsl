// Embedding backward for a full-parameter f32 embedding: dE[v, :] += Σ_t [ids[t] == v] dx[t, :].
// ids: (T) u32, dx: (T, C) f32 -> dE: (V, C) f32 (accumulated)
// bindings: 0 ids, 1 dx, 2 dE, 3 params { T, C, V }
// Deterministic, no atomics: a workgroup owns one row v and wg_size of its columns and
// scans all T ids in order (O(V·C·T): meant for tiny models). ids >= V match no row.
// Workgroups lie on a 2-D grid: g = wid.x + wid.y * groups.x, v = g / tiles, tile = g % tiles.
override wg_size: u32 = 64u;

struct Params { T: u32, C: u32, V: u32 }

@group(0) @binding(0) var<storage, read> ids: array<u32>;
@group(0) @binding(1) var<storage, read> dx: array<f32>;
@group(0) @binding(2) var<storage, read_write> dE: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(wg_size)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
  @builtin(local_invocation_index) li: u32,
) {
  let C = params.C;
  let tiles = (C + wg_size - 1u) / wg_size;
  let g = wid.x + wid.y * groups.x;
  let v = g / tiles;
  let c = (g % tiles) * wg_size + li;
  if (v >= params.V || c >= C) { return; }
  var acc = 0.0;
  var hit = false;
  for (var t = 0u; t < params.T; t++) {
    if (ids[t] == v) {
      acc += dx[t * C + c];
      hit = true;
    }
  }
  if (hit) { dE[v * C + c] += acc; }
}
