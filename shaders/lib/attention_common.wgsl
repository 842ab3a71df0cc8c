// Shared by every tiled attention kernel (attention_forward, attention_backward_dq, _dk, _dv;
// prepended by src/gpu/ops/attention.ts): the parameter block, where a sequence's rows sit in
// the padded batch, the causal mask, the tiles it implies, and the q·k dot product of two
// staged rows.
// Expects from the kernel: overrides hd (head dim) and tile (rows per tile); bindings
//   lens: array<u32> (B), params: Params (uniform);
// workgroup tiles qs, ks: array<f32, tile * hd>, row-major (tile, hd), declared by the kernel
// or by a snippet it includes.

struct Params { Tmax: u32, NH: u32, NKV: u32, scale: f32 }

// Sequence b of the padded batch: rows base .. base + Tmax - 1, the first len of them real.
// q, o and dO rows hold NH heads (qstride = NH*hd), k and v rows NKV heads (kstride = NKV*hd).
struct Seq { base: u32, len: u32, qstride: u32, kstride: u32 }

fn attn_seq(b: u32) -> Seq {
  return Seq(b * params.Tmax, min(lens[b], params.Tmax), params.NH * hd, params.NKV * hd);
}

// Index of element d of row i (of the sequence), query head h, in q, o or dO.
fn q_at(s: Seq, i: u32, h: u32, d: u32) -> u32 {
  return (s.base + i) * s.qstride + h * hd + d;
}

// Index of element d of row j (of the sequence), kv head kvh, in k or v.
fn kv_at(s: Seq, j: u32, kvh: u32, d: u32) -> u32 {
  return (s.base + j) * s.kstride + kvh * hd + d;
}

// Index of row i (of the sequence), query head h, in lse or delta: (B*Tmax, NH).
fn row_head_at(s: Seq, i: u32, h: u32) -> u32 {
  return (s.base + i) * params.NH + h;
}

// Whether query i attends to key j: i is a real row and j does not come after it.
fn attends(s: Seq, i: u32, j: u32) -> bool {
  return i < s.len && j <= i;
}

// Key tiles 0 .. count-1 cover every causal key of the real rows of the query tile at q0
// (no tile for a tile of padding rows).
fn key_tile_count(s: Seq, q0: u32) -> u32 {
  var kend = 0u;
  if (q0 < s.len) { kend = min(q0 + tile, s.len); }
  return (kend + tile - 1u) / tile;
}

// The query tiles that see the key tile at k0 of kv head kvh, in the order dk and dv visit them:
// for each query head h of kvh's group in turn, the tiles from k0's own to the sequence end.
// Those hold every query i >= j of the real keys j (none for a tile of padding rows).
struct QueryTile { h: u32, q0: u32 }

// How many: the group's heads times the tiles k0/tile .. ceil(len/tile)-1.
fn group_query_tile_count(s: Seq, k0: u32) -> u32 {
  if (k0 >= s.len) { return 0u; }
  return ((s.len + tile - 1u) / tile - k0 / tile) * (params.NH / params.NKV);
}

// Tile n (< group_query_tile_count) of that walk.
fn group_query_tile(s: Seq, k0: u32, kvh: u32, n: u32) -> QueryTile {
  let first = k0 / tile;
  let per_head = (s.len + tile - 1u) / tile - first;
  return QueryTile(kvh * (params.NH / params.NKV) + n / per_head, (first + n % per_head) * tile);
}

// q_r · k_c of staged query row r and key row c (unscaled).
fn qk_dot(r: u32, c: u32) -> f32 {
  var sum = 0.0;
  for (var d = 0u; d < hd; d++) { sum += qs[r * hd + d] * ks[c * hd + d]; }
  return sum;
}
