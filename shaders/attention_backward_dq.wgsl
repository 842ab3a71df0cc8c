// Attention backward, step 2: dq. One workgroup per (tile of query rows, query head h, sequence b)
// walks the key tiles 0..its last query and recomputes P = exp(scale q·k - lse), then
// dS = P ⊙ (dO·v - delta) and dq = scale Σ_j dS_ij k_j. No atomics; rows i >= lens[b] get 0.
// q, dO: (B*Tmax, NH*hd), k, v: (B*Tmax, NKV*hd), lse, delta: (B*Tmax, NH), lens: (B) u32
//   -> dq: (B*Tmax, NH*hd)
// bindings: 0 q, 1 k, 2 v, 3 dO, 4 lse, 5 delta, 6 lens, 7 dq, 8 params { Tmax, NH, NKV, scale }
// grid: (ceil(Tmax/tile), NH, B). Needs tile*hd to be a multiple of wg_size and
// tile*hd/wg_size <= MAX_PER_THREAD.
override wg_size: u32 = 64u;
override hd: u32 = 64u;
override tile: u32 = 8u;
const MAX_PER_THREAD: u32 = 8u;

struct Params { Tmax: u32, NH: u32, NKV: u32, scale: f32 }

@group(0) @binding(0) var<storage, read> q: array<f32>;
@group(0) @binding(1) var<storage, read> k: array<f32>;
@group(0) @binding(2) var<storage, read> v: array<f32>;
@group(0) @binding(3) var<storage, read> dO: array<f32>;
@group(0) @binding(4) var<storage, read> lse: array<f32>;
@group(0) @binding(5) var<storage, read> delta: array<f32>;
@group(0) @binding(6) var<storage, read> lens: array<u32>;
@group(0) @binding(7) var<storage, read_write> dq: array<f32>;
@group(0) @binding(8) var<uniform> params: Params;

var<workgroup> qs: array<f32, tile * hd>;
var<workgroup> dos: array<f32, tile * hd>;
var<workgroup> ks: array<f32, tile * hd>;
var<workgroup> vs: array<f32, tile * hd>;
var<workgroup> ds: array<f32, tile * tile>; // dS (query row, key col)
var<workgroup> row_lse: array<f32, tile>;
var<workgroup> row_delta: array<f32, tile>;

@compute @workgroup_size(wg_size)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let Tmax = params.Tmax;
  let q0 = wid.x * tile;
  let h = wid.y;
  let b = wid.z;
  let len = min(lens[b], Tmax);
  let kvh = h / (params.NH / params.NKV);
  let qstride = params.NH * hd;
  let kstride = params.NKV * hd;
  let base = b * Tmax;
  let per_thread = tile * hd / wg_size;

  for (var e = lid; e < tile * hd; e += wg_size) {
    let i = q0 + e / hd;
    var qx = 0.0;
    var gx = 0.0;
    if (i < len) {
      let at = (base + i) * qstride + h * hd + e % hd;
      qx = q[at];
      gx = dO[at];
    }
    qs[e] = qx;
    dos[e] = gx;
  }
  if (lid < tile) {
    let i = q0 + lid;
    var m = 0.0;
    var dl = 0.0;
    if (i < len) {
      m = lse[(base + i) * params.NH + h];
      dl = delta[(base + i) * params.NH + h];
    }
    row_lse[lid] = m;
    row_delta[lid] = dl;
  }
  var acc: array<f32, MAX_PER_THREAD>;
  for (var a = 0u; a < per_thread; a++) { acc[a] = 0.0; }

  var kend = 0u;
  if (q0 < len) { kend = min(q0 + tile, len); }
  let ntiles = (kend + tile - 1u) / tile;
  for (var t = 0u; t < ntiles; t++) {
    let k0 = t * tile;
    workgroupBarrier();
    for (var e = lid; e < tile * hd; e += wg_size) {
      let j = k0 + e / hd;
      var kx = 0.0;
      var vx = 0.0;
      if (j < len) {
        let at = (base + j) * kstride + kvh * hd + e % hd;
        kx = k[at];
        vx = v[at];
      }
      ks[e] = kx;
      vs[e] = vx;
    }
    workgroupBarrier();
    for (var e = lid; e < tile * tile; e += wg_size) {
      let r = e / tile;
      let c = e % tile;
      let i = q0 + r;
      var g = 0.0;
      if (i < len && k0 + c <= i) {
        var s = 0.0;
        var dp = 0.0;
        for (var d = 0u; d < hd; d++) {
          s += qs[r * hd + d] * ks[c * hd + d];
          dp += dos[r * hd + d] * vs[c * hd + d];
        }
        let p = exp(s * params.scale - row_lse[r]);
        g = p * (dp - row_delta[r]);
      }
      ds[e] = g;
    }
    workgroupBarrier();
    for (var a = 0u; a < per_thread; a++) {
      let e = lid + a * wg_size;
      let r = e / hd;
      let d = e % hd;
      var x = acc[a];
      for (var c = 0u; c < tile; c++) { x += ds[r * tile + c] * ks[c * hd + d]; }
      acc[a] = x;
    }
  }

  for (var a = 0u; a < per_thread; a++) {
    let e = lid + a * wg_size;
    let i = q0 + e / hd;
    if (i < Tmax) {
      dq[(base + i) * qstride + h * hd + e % hd] = acc[a] * params.scale;
    }
  }
}
