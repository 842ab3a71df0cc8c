// Output head, backward, per vocabulary chunk: turns the chunk's recomputed logits into
// their gradient in place, for L = Σ_m wlogp[m]·logp[m] + went[m]·entropy[m]:
//   dz_v = wlogp·([v = t] − p_v) − went·p_v·(log p_v + H),  log p_v = z_v − lse
// (log p_v + H = z_v − E_p[z]). A target >= V (padding, logp = 0) has no logp term.
// z: (M, rows) f32 logits of vocabulary rows [start, start + rows) -> dz in place,
// targets: (M) u32, rowstats: (M, 2) (lse, H) from head_finalize, wlogp: (M), went: (M).
// Grid: x covers rows in wg_size columns, y = row m.
// bindings: 0 z (read_write), 1 targets, 2 rowstats, 3 wlogp, 4 went (read), 5 params { M, V, start, rows, first }
override wg_size: u32 = 64u;

struct Params { M: u32, V: u32, start: u32, rows: u32, first: u32 }

@group(0) @binding(0) var<storage, read_write> z: array<f32>;
@group(0) @binding(1) var<storage, read> targets: array<u32>;
@group(0) @binding(2) var<storage, read> rowstats: array<vec2<f32>>;
@group(0) @binding(3) var<storage, read> wlogp: array<f32>;
@group(0) @binding(4) var<storage, read> went: array<f32>;
@group(0) @binding(5) var<uniform> params: Params;

@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let j = gid.x;
  let row = gid.y;
  if (j >= params.rows || row >= params.M) { return; }
  let i = row * params.rows + j;
  let rs = rowstats[row];
  let lp = z[i] - rs.x;
  let p = exp(lp);
  var g = -went[row] * p * (lp + rs.y);
  let t = targets[row];
  if (t < params.V) {
    g += wlogp[row] * (select(0.0, 1.0, t == params.start + j) - p);
  }
  z[i] = g;
}
