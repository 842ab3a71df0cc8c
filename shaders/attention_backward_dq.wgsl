// Attention backward, step 2: dq. One workgroup per (tile of query rows, query head h, sequence b)
// walks the key tiles 0..its last query and recomputes P = exp(scale q·k - lse), then
// dS = P ⊙ (dO·v - delta) and dq = scale Σ_j dS_ij k_j. No atomics; rows i >= lens[b] get 0.
// q, dO: (B*Tmax, NH*hd), k, v: (B*Tmax, NKV*hd), lse, delta: (B*Tmax, NH), lens: (B) u32
//   -> dq: (B*Tmax, NH*hd)
// bindings: 0 q, 1 k, 2 v, 3 dO, 4 lse, 5 delta, 6 lens, 7 dq, 8 params { Tmax, NH, NKV, scale }
// grid: (ceil(Tmax/tile), NH, B). Needs tile*hd to be a multiple of wg_size and
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
@group(0) @binding(7) var<storage, read_write> dq: array<f32>;
@group(0) @binding(8) var<uniform> params: Params;

// The gradient tile's rows are the query rows: dq_r += Σ_c dS_rc k_c.
fn grad_term(r: u32, c: u32, d: u32) -> f32 {
  return ds[r * tile + c] * ks[c * hd + d];
}

fn store_grad(s: Seq, i: u32, h: u32, d: u32, x: f32) {
  dq[q_at(s, i, h, d)] = x * params.scale;
}

@compute @workgroup_size(wg_size)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let q0 = wid.x * tile;
  let h = wid.y;
  let seq = attn_seq(wid.z);
  let kvh = h / (params.NH / params.NKV);

  load_query_tile(seq, q0, h, lid);
  load_delta_rows(seq, q0, h, lid);
  var grad: GradTile;
  let ntiles = key_tile_count(seq, q0);
  for (var t = 0u; t < ntiles; t++) {
    let k0 = t * tile;
    workgroupBarrier();
    load_kv_tile(seq, k0, kvh, lid);
    workgroupBarrier();
    compute_ds(seq, q0, k0, lid);
    workgroupBarrier();
    accumulate_grad_tile(&grad, lid);
  }
  store_grad_tile(&grad, seq, q0, h, lid);
}
