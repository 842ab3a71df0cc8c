// Output head, forward, per vocabulary chunk: folds the chunk's logits into running
// per-row softmax statistics and picks the target's logit when it falls in the chunk.
// z: (M, rows) f32 logits of vocabulary rows [start, start + rows), targets: (M) u32
//   -> stats: (M, 4) f32 running (mx, s = Σ e^(z-mx), u = Σ e^(z-mx)·(z-mx), z_target)
// u is kept relative to mx so the entropy log s - u/s is a sum of two non-negative terms.
// first != 0 starts the statistics afresh (stats is not read), else merges into them.
// One workgroup per row; grid (x, y) with row = wid.x + wid.y * groups.x.
// bindings: 0 z (read), 1 targets (read), 2 stats (read_write), 3 params { M, V, start, rows, first }
override wg_size: u32 = 128u;

struct Params { M: u32, V: u32, start: u32, rows: u32, first: u32 }

@group(0) @binding(0) var<storage, read> z: array<f32>;
@group(0) @binding(1) var<storage, read> targets: array<u32>;
@group(0) @binding(2) var<storage, read_write> stats: array<vec4<f32>>;
@group(0) @binding(3) var<uniform> params: Params;

var<workgroup> wm: array<f32, wg_size>;
var<workgroup> ws: array<f32, wg_size>;
var<workgroup> wu: array<f32, wg_size>;

// A finite stand-in for -inf: exp(EMPTY - x) is 0 and (EMPTY - x) * 0 is 0, never NaN.
const EMPTY: f32 = -3.0e38;

struct Stat { m: f32, s: f32, u: f32 }

fn merge(a: Stat, b: Stat) -> Stat {
  let mx = max(a.m, b.m);
  let da = a.m - mx;
  let db = b.m - mx;
  let ea = exp(da);
  let eb = exp(db);
  return Stat(mx, ea * a.s + eb * b.s, ea * (a.u + da * a.s) + eb * (b.u + db * b.s));
}

@compute @workgroup_size(wg_size)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>,
        @builtin(local_invocation_id) lid: vec3<u32>) {
  let row = wid.x + wid.y * groups.x;
  if (row >= params.M) { return; } // uniform across the workgroup
  let tid = lid.x;
  let base = row * params.rows;
  var st = Stat(EMPTY, 0.0, 0.0);
  for (var j = tid; j < params.rows; j += wg_size) {
    let x = z[base + j];
    if (x <= st.m) {
      let d = x - st.m;
      let e = exp(d);
      st.s += e;
      st.u += e * d;
    } else {
      let d = st.m - x;
      let e = exp(d);
      st.u = e * (st.u + d * st.s);
      st.s = e * st.s + 1.0;
      st.m = x;
    }
  }
  wm[tid] = st.m;
  ws[tid] = st.s;
  wu[tid] = st.u;
  workgroupBarrier();
  for (var stride = wg_size / 2u; stride > 0u; stride >>= 1u) {
    if (tid < stride) {
      let r = merge(Stat(wm[tid], ws[tid], wu[tid]), Stat(wm[tid + stride], ws[tid + stride], wu[tid + stride]));
      wm[tid] = r.m;
      ws[tid] = r.s;
      wu[tid] = r.u;
    }
    workgroupBarrier();
  }
  if (tid == 0u) {
    var total = Stat(wm[0], ws[0], wu[0]);
    var zt = 0.0;
    if (params.first == 0u) {
      let prev = stats[row];
      total = merge(Stat(prev.x, prev.y, prev.z), total);
      zt = prev.w;
    }
    let t = targets[row];
    if (t >= params.start && t - params.start < params.rows) { zt = z[base + t - params.start]; }
    stats[row] = vec4<f32>(total.m, total.s, total.u, zt);
  }
}
