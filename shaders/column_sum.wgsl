// Column sum, the bias gradient: db[n] (+)= Σ_m dy[m, n].
// dy: (M, N) f32 -> db: (N) f32
// bindings: 0 dy, 1 db, 2 params { M, N, accumulate }
// accumulate != 0 adds to db; 0 overwrites it.
// Deterministic, no atomics: a workgroup owns wg_size / lanes adjacent columns; each
// column's rows are split over `lanes` threads (row m goes to lane m % lanes), and the
// lanes' partial sums are combined by a fixed tree in workgroup memory.
// Column tiles are workgroups on a 2-D grid: tile = wid.x + wid.y * groups.x.
// wg_size and lanes must be powers of two with lanes <= wg_size.
// Needs shaders/lib/workgroup_sum.wgsl prepended.
override wg_size: u32 = 256u;
override lanes: u32 = 16u;

struct Params { M: u32, N: u32, accumulate: u32 }

@group(0) @binding(0) var<storage, read> dy: array<f32>;
@group(0) @binding(1) var<storage, read_write> db: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(wg_size)
fn main(
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) groups: vec3<u32>,
  @builtin(local_invocation_index) li: u32,
) {
  let cols = wg_size / lanes;
  let tile = wid.x + wid.y * groups.x;
  let col = li % cols;
  let lane = li / cols;
  let n = tile * cols + col;
  let N = params.N;

  var acc = 0.0;
  if (n < N) {
    for (var m = lane; m < params.M; m += lanes) {
      acc += dy[m * N + n];
    }
  }
  let sum = workgroup_sum(li, acc, lanes, cols);
  if (lane == 0u && n < N) {
    if (params.accumulate != 0u) {
      db[n] += sum;
    } else {
      db[n] = sum;
    }
  }
}
