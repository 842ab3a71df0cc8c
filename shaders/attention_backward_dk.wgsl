// Attention backward, step 3: dk. One workgroup per (tile of key rows, kv head, sequence b) walks,
// for each query head h of its group in order, the query tiles from its own tile to the sequence
// end, recomputing P = exp(scale q·k - lse) and dS = P ⊙ (dO·v - delta), and accumulates
// dk_j = scale Σ_{h, i >= j} dS_ij q_i. No atomics, fixed order: deterministic. Rows j >= lens[b] get 0.
// q, dO: (B*Tmax, NH*hd), k, v: (B*Tmax, NKV*hd), lse, delta: (B*Tmax, NH), lens: (B) u32
//   -> dk: (B*Tmax, NKV*hd)
// bindings: 0 q, 1 k, 2 v, 3 dO, 4 lse, 5 delta, 6 lens, 7 dk, 8 params { Tmax, NH, NKV, scale }
// grid: (ceil(Tmax/tile), NKV, B). Needs tile*hd to be a multiple of wg_size and
// tile*hd/wg_size <= MAX_PER_THREAD (of attention_backward_grad.wgsl).
// Needs shaders/lib/attention_common.wgsl, attention_kv_tile.wgsl, attention_backward_rows.wgsl,
// attention_backward_ds.wgsl and attention_backward_grad.wgsl prepended (they declare the
// workgroup tiles qs, dos, ks, vs, ds and the per-row lse and delta).
override wg_size: u32 = 64u;
override hd: u32 = 64u;
override tile: u32 = 8u;

@group(0) @binding(0) var<storage, read> q: array<f32>;
@group(0) @binding(1) var<storage, read> k: array<f32>;
@group(0) @binding(2) var<storage, read> v: array<f32>;
@group(0) @binding(3) var<storage, read> dO: array<f32>;
@group(0) @binding(4) var<storage, read> lse: array<f32>;
@group(0) @binding(5) var<storage, read> delta: array<f32>;
@group(0) @binding(6) var<storage, read> lens: array<u32>;
@group(0) @binding(7) var<storage, read_write> dk: array<f32>;
@group(0) @binding(8) var<uniform> params: Params;

// The gradient tile's rows are this workgroup's keys: dk_c += Σ_r dS_rc q_r.
fn grad_term(c: u32, r: u32, d: u32) -> f32 {
  return ds[r * tile + c] * qs[r * hd + d];
}

fn store_grad(s: Seq, j: u32, kvh: u32, d: u32, x: f32) {
  dk[kv_at(s, j, kvh, d)] = x * params.scale;
}

@compute @workgroup_size(wg_size)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let k0 = wid.x * tile;
  let kvh = wid.y;
  let seq = attn_seq(wid.z);

  load_kv_tile(seq, k0, kvh, lid);
  var grad: GradTile;
  let ntiles = group_query_tile_count(seq, k0);
  for (var n = 0u; n < ntiles; n++) {
    let qt = group_query_tile(seq, k0, kvh, n);
    workgroupBarrier();
    load_query_tile(seq, qt.q0, qt.h, lid);
    load_delta_rows(seq, qt.q0, qt.h, lid);
    workgroupBarrier();
    compute_ds(seq, qt.q0, k0, lid);
    workgroupBarrier();
    accumulate_grad_tile(&grad, lid);
  }
  store_grad_tile(&grad, seq, k0, kvh, lid);
}
