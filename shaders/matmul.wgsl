// General f32 matmul: C = alpha * op(A) * op(B) + beta * C.
// op(A): (M, K), stored as A (M, K), or as A (K, M) when trans_a.
// op(B): (K, N), stored as B (K, N), or as B (N, K) when trans_b.
// C: (M, N) row-major. a_off, b_off, c_off (f32 elements) address a sub-range of larger buffers.
// beta == 0 overwrites C without reading it (NaN already in C does not leak through).
// bindings: 0 a (read), 1 b (read), 2 c (read_write), 3 params { M, N, K, a_off, b_off, c_off, alpha, beta }
// Tiling: one workgroup of 16 x 16 threads computes a 64 x 64 block of C, each thread a 4 x 4
// register block; K advances 16 at a time through workgroup memory (2 x 4 KiB).
override trans_a: bool = false;
override trans_b: bool = false;

const TILE: u32 = 64u; // rows and columns of C per workgroup
const TK: u32 = 16u;   // depth of one K step
const T4: u32 = 16u;   // TILE / 4: vec4 columns of a tile row

struct Params { M: u32, N: u32, K: u32, a_off: u32, b_off: u32, c_off: u32, alpha: f32, beta: f32 }

@group(0) @binding(0) var<storage, read> a: array<f32>;
@group(0) @binding(1) var<storage, read> b: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

// a_tile[k * T4 + m / 4][m % 4] = op(A)[m0 + m, k0 + k]; b_tile likewise for op(B)[k0 + k, n0 + n].
var<workgroup> a_tile: array<vec4<f32>, 256>;
var<workgroup> b_tile: array<vec4<f32>, 256>;

// op(A)[m, k], zero outside (M, K).
fn load_a(m: u32, k: u32) -> f32 {
  if (m >= params.M || k >= params.K) { return 0.0; }
  if (trans_a) { return a[params.a_off + k * params.M + m]; }
  return a[params.a_off + m * params.K + k];
}

// op(B)[k, n], zero outside (K, N).
fn load_b(k: u32, n: u32) -> f32 {
  if (k >= params.K || n >= params.N) { return 0.0; }
  if (trans_b) { return b[params.b_off + n * params.K + k]; }
  return b[params.b_off + k * params.N + n];
}

@compute @workgroup_size(256)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wg: vec3<u32>) {
  let m0 = wg.y * TILE;
  let n0 = wg.x * TILE;
  let tx = lid % 16u; // output columns n0 + tx * 4 .. + 3
  let ty = lid / 16u; // output rows    m0 + ty * 4 .. + 3
  // Each thread stages 4 consecutive m (or n) at one k, walking memory contiguously across threads.
  let a_k = select(lid % TK, lid / T4, trans_a);
  let a_m4 = select(lid / TK, lid % T4, trans_a);
  let b_k = select(lid / T4, lid % TK, trans_b);
  let b_n4 = select(lid % T4, lid / TK, trans_b);

  var acc0 = vec4<f32>(0.0);
  var acc1 = vec4<f32>(0.0);
  var acc2 = vec4<f32>(0.0);
  var acc3 = vec4<f32>(0.0);
  for (var k0 = 0u; k0 < params.K; k0 += TK) {
    let am = m0 + a_m4 * 4u;
    let ak = k0 + a_k;
    a_tile[a_k * T4 + a_m4] = vec4<f32>(load_a(am, ak), load_a(am + 1u, ak), load_a(am + 2u, ak), load_a(am + 3u, ak));
    let bn = n0 + b_n4 * 4u;
    let bk = k0 + b_k;
    b_tile[b_k * T4 + b_n4] = vec4<f32>(load_b(bk, bn), load_b(bk, bn + 1u), load_b(bk, bn + 2u), load_b(bk, bn + 3u));
    workgroupBarrier();
    for (var k = 0u; k < TK; k++) {
      let av = a_tile[k * T4 + ty];
      let bv = b_tile[k * T4 + tx];
      acc0 += av.x * bv;
      acc1 += av.y * bv;
      acc2 += av.z * bv;
      acc3 += av.w * bv;
    }
    workgroupBarrier();
  }

  let acc = array<vec4<f32>, 4>(acc0, acc1, acc2, acc3);
  for (var i = 0u; i < 4u; i++) {
    let m = m0 + ty * 4u + i;
    if (m >= params.M) { break; }
    for (var j = 0u; j < 4u; j++) {
      let n = n0 + tx * 4u + j;
      if (n >= params.N) { break; }
      let at = params.c_off + m * params.N + n;
      var v = params.alpha * acc[i][j];
      if (params.beta != 0.0) { v += params.beta * c[at]; }
      c[at] = v;
    }
  }
}
