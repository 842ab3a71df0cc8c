// Causal grouped-query attention forward with an online softmax (flash-attention style): the
// (Tmax x Tmax) score matrix is never stored. One workgroup per (tile of `tile` query rows,
// query head h, sequence b); it walks the key tiles 0..its last query, keeping a running max,
// sum and output accumulator per row. Query head h reads kv head h / (NH/NKV).
// q: (B*Tmax, NH*hd), k, v: (B*Tmax, NKV*hd), lens: (B) u32
//   -> o: (B*Tmax, NH*hd), lse: (B*Tmax, NH) = log-sum-exp of each row's scaled scores.
// Rows i >= lens[b] are padding: o and lse are written as 0, and padded k/v rows are never read.
// bindings: 0 q, 1 k, 2 v, 3 lens, 4 o, 5 lse, 6 params { Tmax, NH, NKV, scale }
// grid: (ceil(Tmax/tile), NH, B). Needs tile*hd to be a multiple of wg_size and
// tile*hd/wg_size <= MAX_PER_THREAD.
// Needs shaders/lib/attention_common.wgsl (Params, Seq, masks, qk_dot) and attention_kv_tile.wgsl
// (the key and value tiles ks, vs and load_kv_tile) prepended.
override wg_size: u32 = 64u;
override hd: u32 = 64u;
override tile: u32 = 16u;
const MAX_PER_THREAD: u32 = 16u;
const NEG_BIG: f32 = -3.0e38;

@group(0) @binding(0) var<storage, read> q: array<f32>;
@group(0) @binding(1) var<storage, read> k: array<f32>;
@group(0) @binding(2) var<storage, read> v: array<f32>;
@group(0) @binding(3) var<storage, read> lens: array<u32>;
@group(0) @binding(4) var<storage, read_write> o: array<f32>;
@group(0) @binding(5) var<storage, read_write> lse: array<f32>;
@group(0) @binding(6) var<uniform> params: Params;

var<workgroup> qs: array<f32, tile * hd>;  // query tile, row-major (tile, hd)
var<workgroup> ps: array<f32, tile * tile>; // scores, then probabilities (query row, key col)
var<workgroup> row_m: array<f32, tile>;    // running max
var<workgroup> row_l: array<f32, tile>;    // running sum of exp(s - row_m)
var<workgroup> row_c: array<f32, tile>;    // rescale factor of this step

@compute @workgroup_size(wg_size)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let q0 = wid.x * tile;
  let h = wid.y;
  let seq = attn_seq(wid.z);
  let kvh = h / (params.NH / params.NKV);
  let per_thread = tile * hd / wg_size;

  for (var e = lid; e < tile * hd; e += wg_size) {
    let i = q0 + e / hd;
    var x = 0.0;
    if (i < seq.len) { x = q[q_at(seq, i, h, e % hd)]; }
    qs[e] = x;
  }
  if (lid < tile) {
    row_m[lid] = NEG_BIG;
    row_l[lid] = 0.0;
  }
  var acc: array<f32, MAX_PER_THREAD>;
  for (var a = 0u; a < per_thread; a++) { acc[a] = 0.0; }

  let ntiles = key_tile_count(seq, q0);
  for (var t = 0u; t < ntiles; t++) {
    let k0 = t * tile;
    workgroupBarrier(); // the previous step is done with ks, vs, ps
    load_kv_tile(seq, k0, kvh, lid);
    workgroupBarrier();
    for (var e = lid; e < tile * tile; e += wg_size) { ps[e] = qk_dot(e / tile, e % tile) * params.scale; }
    workgroupBarrier();
    if (lid < tile) {
      let r = lid;
      let i = q0 + r;
      let m_old = row_m[r];
      var m_new = m_old;
      for (var c = 0u; c < tile; c++) {
        if (attends(seq, i, k0 + c)) { m_new = max(m_new, ps[r * tile + c]); }
      }
      var sum = 0.0;
      for (var c = 0u; c < tile; c++) {
        var p = 0.0;
        if (attends(seq, i, k0 + c)) { p = exp(ps[r * tile + c] - m_new); }
        ps[r * tile + c] = p;
        sum += p;
      }
      let alpha = exp(m_old - m_new);
      row_c[r] = alpha;
      row_l[r] = row_l[r] * alpha + sum;
      row_m[r] = m_new;
    }
    workgroupBarrier();
    for (var a = 0u; a < per_thread; a++) {
      let e = lid + a * wg_size;
      let r = e / hd;
      let d = e % hd;
      var x = acc[a] * row_c[r];
      for (var c = 0u; c < tile; c++) { x += ps[r * tile + c] * vs[c * hd + d]; }
      acc[a] = x;
    }
  }
  workgroupBarrier();

  for (var a = 0u; a < per_thread; a++) {
    let e = lid + a * wg_size;
    let r = e / hd;
    let i = q0 + r;
    if (i < params.Tmax) {
      var x = 0.0;
      if (i < seq.len) { x = acc[a] / row_l[r]; }
      o[q_at(seq, i, h, e % hd)] = x;
    }
  }
  if (lid < tile) {
    let i = q0 + lid;
    if (i < params.Tmax) {
      var x = 0.0;
      if (i < seq.len) { x = row_m[lid] + log(row_l[lid]); }
      lse[row_head_at(seq, i, h)] = x;
    }
  }
}
