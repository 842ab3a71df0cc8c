// General f32 matmul without workgroup memory or barriers, for CPU adapters (see src/gpu/kernel_style.ts):
//   C = alpha * op(A) * op(B) + beta * C.
// op(A): (M, K), stored as A (M, K), or as A (K, M) when trans_a.
// op(B): (K, N), stored as B (K, N), or as B (N, K) when trans_b.
// C: (M, N) row-major. a_off, b_off, c_off (f32 elements) address a sub-range of larger buffers.
// beta == 0 overwrites C without reading it (NaN already in C does not leak through).
// bindings: 0 a (read), 1 b (read), 2 c (read_write), 3 params { M, N, K, a_off, b_off, c_off, alpha, beta }
// Each thread computes a 4 (m) x 4 (n) block straight from storage; a workgroup of 64 threads is
// 16 blocks along n by 4 along m, i.e. a 16 (m) x 64 (n) tile: grid (ceil(N / 64), ceil(M / 16)).
override trans_a: bool = false;
override trans_b: bool = false;

struct Params { M: u32, N: u32, K: u32, a_off: u32, b_off: u32, c_off: u32, alpha: f32, beta: f32 }

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

// op(A)[m, k] for a row m < M and k < K.
fn at_a(m: u32, k: u32) -> f32 {
  if (trans_a) { return a[params.a_off + k * params.M + m]; }
  return a[params.a_off + m * params.K + k];
}

// op(B)[k, n0 .. n0 + 3], columns past N read as the last one (their results are not stored).
fn row_b(k: u32, n0: u32) -> vec4<f32> {
  let last = params.N - 1u;
  let n = vec4<u32>(n0, min(n0 + 1u, last), min(n0 + 2u, last), min(n0 + 3u, last));
  if (trans_b) {
    let base = params.b_off + k;
    return vec4<f32>(b[base + n.x * params.K], b[base + n.y * params.K], b[base + n.z * params.K], b[base + n.w * params.K]);
  }
  let base = params.b_off + k * params.N;
  return vec4<f32>(b[base + n.x], b[base + n.y], b[base + n.z], b[base + n.w]);
}

@compute @workgroup_size(64)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wg: vec3<u32>) {
  let n0 = wg.x * 64u + (lid % 16u) * 4u;
  let m0 = wg.y * 16u + (lid / 16u) * 4u;
  if (n0 >= params.N || m0 >= params.M) { return; }
  // Rows past the end repeat the last valid one (their results are not stored).
  let last = params.M - 1u;
  let m = vec4<u32>(m0, min(m0 + 1u, last), min(m0 + 2u, last), min(m0 + 3u, last));
  var acc: array<vec4<f32>, 4>; // acc[i][j]: C[m0 + i, n0 + j] before alpha and beta
  for (var k = 0u; k < params.K; k++) {
    let bv = row_b(k, n0);
    acc[0] += at_a(m.x, k) * bv;
    acc[1] += at_a(m.y, k) * bv;
    acc[2] += at_a(m.z, k) * bv;
    acc[3] += at_a(m.w, k) * bv;
  }
  for (var i = 0u; i < 4u; i++) {
    if (m0 + i >= params.M) { break; }
    for (var j = 0u; j < 4u; j++) {
      let n = n0 + j;
      if (n >= params.N) { break; }
      let at = params.c_off + (m0 + i) * params.N + n;
      var v = params.alpha * acc[i][j];
      if (params.beta != 0.0) { v += params.beta * c[at]; }
      c[at] = v;
    }
  }
}
