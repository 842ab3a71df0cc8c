// General f32 matmul for few rows of C (decode: M of a handful of tokens, e.g. the LoRA down
// projection u = x · Aᵀ with K = hidden): C = alpha * op(A) * op(B) + beta * C.
// op(A): (M, K), stored as A (M, K), or as A (K, M) when trans_a.
// op(B): (K, N), stored as B (K, N), or as B (N, K) when trans_b.
// C: (M, N) row-major. a_off, b_off, c_off (f32 elements) address a sub-range of larger buffers.
// beta == 0 overwrites C without reading it.
// bindings: 0 a (read), 1 b (read), 2 c (read_write), 3 params { M, N, K, a_off, b_off, c_off, alpha, beta }
// Each workgroup computes 256 / lanes columns of C: the lanes of a column split K, partial sums reduce in workgroup
// memory; M is covered 4 rows at a time. Where the 64 x 64 tiled kernel would run a handful of
// workgroups down a long K, this spreads K over many threads.
// Workgroups index columns as wg.x + wg.y * num_workgroups.x so N may need more than 65535 workgroups.
override trans_a: bool = false;
override trans_b: bool = false;

override lanes: u32 = 16u; // threads per column of C (a power of two, 4 <= lanes <= 256); 256 / lanes columns per workgroup
const MT: u32 = 4u; // rows of C per pass

struct Params { M: u32, N: u32, K: u32, a_off: u32, b_off: u32, c_off: u32, alpha: f32, beta: f32 }

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

var<workgroup> partial: array<vec4<f32>, 256>; // [col * lanes + lane]: sums for the MT rows

// op(A)[m, k] for m < M, k < K.
fn load_a(m: u32, k: u32) -> f32 {
  if (trans_a) { return a[params.a_off + k * params.M + m]; }
  return a[params.a_off + m * params.K + k];
}

// op(B)[k, n] for k < K, n < N.
fn load_b(k: u32, n: u32) -> f32 {
  if (trans_b) { return b[params.b_off + n * params.K + k]; }
  return b[params.b_off + k * params.N + n];
}

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wg: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let col = lid / lanes;
  let lane = lid % lanes;
  let n = (wg.x + wg.y * groups.x) * (256u / lanes) + col;
  let col_ok = n < params.N;
  for (var m0 = 0u; m0 < params.M; m0 += MT) {
    var acc = vec4<f32>(0.0);
    if (col_ok) {
      let mcount = min(MT, params.M - m0);
      for (var k = lane; k < params.K; k += lanes) {
        let bv = load_b(k, n);
        acc.x += load_a(m0, k) * bv;
        if (mcount > 1u) { acc.y += load_a(m0 + 1u, k) * bv; }
        if (mcount > 2u) { acc.z += load_a(m0 + 2u, k) * bv; }
        if (mcount > 3u) { acc.w += load_a(m0 + 3u, k) * bv; }
      }
    }
    partial[lid] = acc;
    workgroupBarrier();
    for (var s = lanes / 2u; s > 0u; s >>= 1u) {
      if (lane < s) { partial[lid] += partial[lid + s]; }
      workgroupBarrier();
    }
    if (col_ok && lane < MT && m0 + lane < params.M) {
      let at = params.c_off + (m0 + lane) * params.N + n;
      var v = params.alpha * partial[col * lanes][lane];
      if (params.beta != 0.0) { v += params.beta * c[at]; }
      c[at] = v;
    }
    workgroupBarrier();
  }
}
