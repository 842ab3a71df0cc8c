// Output head, forward, after the last chunk: per-row log-prob of the target and entropy.
// stats: (M, 4) f32 (mx, s, u, z_target) from head_reduce_forward, targets: (M) u32
//   -> logp: (M) = z_target - lse, entropy: (M) = log s - u / s, rowstats: (M, 2) = (lse, entropy)
// with lse = mx + log s. A target >= V (padding) gets logp = 0.
// bindings: 0 stats (read), 1 targets (read), 2 logp, 3 entropy, 4 rowstats (read_write), 5 params { M, V }
override wg_size: u32 = 64u;

struct Params { M: u32, V: u32 }

@group(0) @binding(0) var<storage, read> stats: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read> targets: array<u32>;
@group(0) @binding(2) var<storage, read_write> logp: array<f32>;
@group(0) @binding(3) var<storage, read_write> entropy: array<f32>;
@group(0) @binding(4) var<storage, read_write> rowstats: array<vec2<f32>>;
@group(0) @binding(5) var<uniform> params: Params;

@compute @workgroup_size(wg_size)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let row = gid.x + gid.y * groups.x * wg_size;
  if (row >= params.M) { return; }
  let st = stats[row];
  let logs = log(st.y);
  let lse = st.x + logs;
  let h = logs - st.z / st.y;
  var lp = 0.0;
  if (targets[row] < params.V) { lp = (st.w - st.x) - logs; }
  logp[row] = lp;
  entropy[row] = h;
  rowstats[row] = vec2<f32>(lse, h);
}
