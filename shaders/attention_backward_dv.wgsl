// Attention backward, step 4: dv. One workgroup per (tile of key rows, kv head, sequence b) walks,
// for each query head h of its group in order, the query tiles from its own tile to the sequence
// end, recomputing P = exp(scale q·k - lse), and accumulates dv_j = Σ_{h, i >= j} P_ij dO_i.
// No atomics, fixed order: deterministic. Rows j >= lens[b] get 0. (Kept apart from dk so that
// each kernel binds at most 8 storage buffers.)
// q, dO: (B*Tmax, NH*hd), k: (B*Tmax, NKV*hd), lse: (B*Tmax, NH), lens: (B) u32
//   -> dv: (B*Tmax, NKV*hd)
// bindings: 0 q, 1 k, 2 dO, 3 lse, 4 lens, 5 dv, 6 params { Tmax, NH, NKV, scale }
// grid: (ceil(Tmax/tile), NKV, B). Needs tile*hd to be a multiple of wg_size and
// tile*hd/wg_size <= MAX_PER_THREAD (of attention_backward_grad.wgsl).
// Needs shaders/lib/attention_common.wgsl, attention_backward_rows.wgsl (which declares the
// workgroup tiles qs, dos and the per-row lse) and attention_backward_grad.wgsl prepended.
override wg_size: u32 = 64u;
override hd: u32 = 64u;
override tile: u32 = 8u;

@group(0) @binding(0) var<storage, read> q: array<f32>;
@group(0) @binding(1) var<storage, read> k: array<f32>;
@group(0) @binding(2) var<storage, read> dO: array<f32>;
@group(0) @binding(3) var<storage, read> lse: array<f32>;
@group(0) @binding(4) var<storage, read> lens: array<u32>;
@group(0) @binding(5) var<storage, read_write> dv: array<f32>;
@group(0) @binding(6) var<uniform> params: Params;

var<workgroup> ks: array<f32, tile * hd>;  // this workgroup's keys
var<workgroup> ps: array<f32, tile * tile>; // P (query row, key col)

// The gradient tile's rows are this workgroup's keys: dv_c += Σ_r P_rc dO_r.
fn grad_term(c: u32, r: u32, d: u32) -> f32 {
  return ps[r * tile + c] * dos[r * hd + d];
}

fn store_grad(s: Seq, j: u32, kvh: u32, d: u32, x: f32) {
  dv[kv_at(s, j, kvh, d)] = x;
}

@compute @workgroup_size(wg_size)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let k0 = wid.x * tile;
  let kvh = wid.y;
  let seq = attn_seq(wid.z);

  for (var e = lid; e < tile * hd; e += wg_size) {
    let j = k0 + e / hd;
    var kx = 0.0;
    if (j < seq.len) { kx = k[kv_at(seq, j, kvh, e % hd)]; }
    ks[e] = kx;
  }
  var grad: GradTile;
  let ntiles = group_query_tile_count(seq, k0);
  for (var n = 0u; n < ntiles; n++) {
    let qt = group_query_tile(seq, k0, kvh, n);
    workgroupBarrier();
    load_query_tile(seq, qt.q0, qt.h, lid);
    workgroupBarrier();
    for (var e = lid; e < tile * tile; e += wg_size) {
      let r = e / tile;
      let c = e % tile;
      var p = 0.0;
      if (attends(seq, qt.q0 + r, k0 + c)) { p = attn_prob(r, c); }
      ps[e] = p;
    }
    workgroupBarrier();
    accumulate_grad_tile(&grad, lid);
  }
  store_grad_tile(&grad, seq, k0, kvh, lid);
}
