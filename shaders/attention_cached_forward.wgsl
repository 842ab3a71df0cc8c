// Attention of new query rows over a KV cache (generation: prefill and decode). Row r belongs to
// cache slot s = rowpos[r].x and sits at position p = rowpos[r].y; it attends to the cached keys
// and values of slot s at positions 0..p (its own K/V must already be written there). Query head
// h reads kv head h / (NH/NKV). One workgroup per (query head, row); keys go in chunks of
// wg_size, one key per thread, with an online softmax (running max and sum) across chunks.
// q: (M, NH*hd), kc, vc: (S, L, NKV*hd), rowpos: (M, 2) u32 -> o: (M, NH*hd)
//   o[r, h] = Σ_j softmax_j(scale q[r,h]·kc[s,j,kvh]) vc[s,j,kvh], j = 0..p.
// bindings: 0 q, 1 kc, 2 vc, 3 rowpos, 4 o, 5 params { NH, NKV, L, scale }
// grid: (NH, M). Needs hd <= MAX_PER_THREAD * wg_size and wg_size a power of two.
override wg_size: u32 = 64u;
override hd: u32 = 64u;
const MAX_PER_THREAD: u32 = 4u;
const NEG_BIG: f32 = -3.0e38;

struct Params { NH: u32, NKV: u32, L: u32, scale: f32 }

@group(0) @binding(0) var<storage, read> q: array<f32>;
@group(0) @binding(1) var<storage, read> kc: array<f32>;
@group(0) @binding(2) var<storage, read> vc: array<f32>;
@group(0) @binding(3) var<storage, read> rowpos: array<u32>;
@group(0) @binding(4) var<storage, read_write> o: array<f32>;
@group(0) @binding(5) var<uniform> params: Params;

var<workgroup> qs: array<f32, hd>;       // the scaled query row
var<workgroup> ps: array<f32, wg_size>;  // this chunk's probabilities (key j0 + c at c)
var<workgroup> red: array<f32, wg_size>; // reduction scratch

// Max over the workgroup of each thread's value, returned to every thread.
fn wg_max(lid: u32, x: f32) -> f32 {
  red[lid] = x;
  workgroupBarrier();
  for (var s = wg_size / 2u; s > 0u; s >>= 1u) {
    if (lid < s) { red[lid] = max(red[lid], red[lid + s]); }
    workgroupBarrier();
  }
  let out = red[0];
  workgroupBarrier();
  return out;
}

// Sum over the workgroup (fixed tree: deterministic), returned to every thread.
fn wg_sum(lid: u32, x: f32) -> f32 {
  red[lid] = x;
  workgroupBarrier();
  for (var s = wg_size / 2u; s > 0u; s >>= 1u) {
    if (lid < s) { red[lid] += red[lid + s]; }
    workgroupBarrier();
  }
  let out = red[0];
  workgroupBarrier();
  return out;
}

@compute @workgroup_size(wg_size)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let h = wid.x;
  let r = wid.y;
  let slot = rowpos[2u * r];
  let n = rowpos[2u * r + 1u] + 1u; // keys 0..p
  let kvh = h / (params.NH / params.NKV);
  let kstride = params.NKV * hd;
  let kbase = slot * params.L * kstride + kvh * hd;
  let qbase = (r * params.NH + h) * hd;

  for (var d = lid; d < hd; d += wg_size) { qs[d] = q[qbase + d] * params.scale; }
  workgroupBarrier();

  var m = NEG_BIG;
  var l = 0.0;
  var acc: array<f32, MAX_PER_THREAD>;
  for (var a = 0u; a < MAX_PER_THREAD; a++) { acc[a] = 0.0; }

  let chunks = (n + wg_size - 1u) / wg_size; // uniform: rowpos is read-only and r is uniform
  for (var c = 0u; c < chunks; c++) {
    let j = c * wg_size + lid;
    var s = NEG_BIG;
    if (j < n) {
      let kj = kbase + j * kstride;
      var dot = 0.0;
      for (var d = 0u; d < hd; d++) { dot += qs[d] * kc[kj + d]; }
      s = dot;
    }
    let m_new = max(m, wg_max(lid, s));
    var p = 0.0;
    if (j < n) { p = exp(s - m_new); }
    ps[lid] = p;
    let alpha = exp(m - m_new);
    l = l * alpha + wg_sum(lid, p); // wg_sum's barriers also publish ps
    m = m_new;
    let count = min(wg_size, n - c * wg_size);
    for (var a = 0u; a < MAX_PER_THREAD; a++) {
      let d = lid + a * wg_size;
      if (d < hd) {
        var x = acc[a] * alpha;
        let vbase = kbase + c * wg_size * kstride + d;
        for (var jj = 0u; jj < count; jj++) { x += ps[jj] * vc[vbase + jj * kstride]; }
        acc[a] = x;
      }
    }
    workgroupBarrier(); // everyone is done with ps before the next chunk
  }

  for (var a = 0u; a < MAX_PER_THREAD; a++) {
    let d = lid + a * wg_size;
    if (d < hd) { o[qbase + d] = acc[a] / l; }
  }
}
