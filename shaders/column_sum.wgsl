// Column sum, the bias gradient: db[n] (+)= Σ_m dy[m, n].
// dy: (M, N) f32 -> db: (N) f32
// bindings: 0 dy, 1 db, 2 params { M, N, accumulate }
// accumulate != 0 adds to db; 0 overwrites it. Deterministic, no atomics.
// grid: ceil(N / (wg_size / lanes)) workgroups, on a 2-D grid if need be.
// Needs shaders/lib/workgroup_sum.wgsl and column_reduce.wgsl (lanes, the reduction) prepended.
override wg_size: u32 = 256u;

struct Params { M: u32, N: u32, accumulate: u32 }

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read_write> db: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

fn column_term(m: u32, n: u32) -> f32 {
  return dy[m * params.N + n];
}

@compute @workgroup_size(wg_size)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
  @builtin(local_invocation_index) li: u32,
) {
  let r = column_reduce(wid, groups, li, params.M, params.N);
  if (r.owner) {
    if (params.accumulate != 0u) {
      db[r.col] += r.sum;
    } else {
      db[r.col] = r.sum;
    }
  }
}
