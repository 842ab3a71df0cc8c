// Draws one token per row from its logits on the GPU: temperature, top-k, top-p (nucleus) and a
// counter-based random number, so only (token, logprob) per row leaves the GPU.
// logits: (R, V) f32, samp: (R, 8) u32 per row
//   [temperature (f32 bits), top_p (f32 bits), top_k, seed, sequence id, position, 0, 0]
//   -> out: (R, 2) u32 per row [token, logprob (f32 bits)].
// With y = z / T (T > 0):
//   logprob = y[token] - logsumexp(y) = log softmax(z / T)[token], over the whole vocabulary,
//   before the top-k / top-p cuts. T = 0 is greedy: token = argmax z (lowest index on ties) and
//   logprob = log softmax(z)[token] (temperature 1).
// Cuts, as thresholds on y (ties at the threshold are kept, no sort):
//   top-k (0 < k < V): tau_k = the k-th largest y, found by bisection on count(y >= tau) >= k;
//   top-p (p < 1): among the top-k survivors (renormalized), tau_p = the largest threshold whose
//   kept mass sum(e^(y - ymax) : y >= tau) reaches p times the survivors' mass, by bisection.
//   Each bisection runs `bisect_steps` halvings of [min, above max], so it ends on the exact
//   threshold value unless two logits differ by less than range / 2^bisect_steps.
// Draw: u = uniform [0, 1) from a PCG hash of (seed, sequence id, position); the token is the
//   first kept index (in vocabulary order) whose running kept mass exceeds u times the kept mass.
//   Each thread owns a contiguous range of the vocabulary; a prefix over the threads' masses
//   names the thread whose range holds the draw, and that thread scans its range.
// bindings: 0 logits, 1 samp, 2 out, 3 params { R, V }. grid: (R). wg_size a power of two.
override wg_size: u32 = 256u;
override bisect_steps: u32 = 64u;
const NEG_BIG: f32 = -3.0e38;
const NONE: u32 = 0xffffffffu;

struct Params { R: u32, V: u32 }

@group(0) @binding(0) var<storage, read> logits: array<f32>;
@group(0) @binding(1) var<storage, read> samp: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<u32>;
@group(0) @binding(3) var<uniform> params: Params;

var<workgroup> red: array<f32, wg_size>;
var<workgroup> redi: array<u32, wg_size>;
var<workgroup> chosen: u32;
var<workgroup> fallback: u32;
var<workgroup> total: f32;

fn pcg(v: u32) -> u32 {
  let s = v * 747796405u + 2891336453u;
  let w = ((s >> ((s >> 28u) + 4u)) ^ s) * 277803737u;
  return (w >> 22u) ^ w;
}

// Uniform in [0, 1) with 24 random bits, from (seed, sequence id, position).
fn uniform01(seed: u32, sid: u32, pos: u32) -> f32 {
  let h = pcg(pcg(pcg(seed) ^ sid) ^ pos);
  return f32(h >> 8u) / 16777216.0;
}

fn wg_sum(lid: u32, x: f32) -> f32 {
  red[lid] = x;
  workgroupBarrier();
  for (var s = wg_size / 2u; s > 0u; s >>= 1u) {
    if (lid < s) { red[lid] += red[lid + s]; }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}

fn wg_min(lid: u32, x: f32) -> f32 {
  red[lid] = x;
  workgroupBarrier();
  for (var s = wg_size / 2u; s > 0u; s >>= 1u) {
    if (lid < s) { red[lid] = min(red[lid], red[lid + s]); }
    workgroupBarrier();
  }
  let r = red[0];
  workgroupBarrier();
  return r;
}

// (max value, lowest index holding it) over the workgroup.
fn wg_argmax(lid: u32, x: f32, i: u32) -> vec2<u32> {
  red[lid] = x;
  redi[lid] = i;
  workgroupBarrier();
  for (var s = wg_size / 2u; s > 0u; s >>= 1u) {
    if (lid < s) {
      let a = red[lid];
      let b = red[lid + s];
      if (b > a || (b == a && redi[lid + s] < redi[lid])) {
        red[lid] = b;
        redi[lid] = redi[lid + s];
      }
    }
    workgroupBarrier();
  }
  let r = vec2<u32>(bitcast<u32>(red[0]), redi[0]);
  workgroupBarrier();
  return r;
}

@compute @workgroup_size(wg_size)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = wid.x;
  let V = params.V;
  let base = row * V;
  let sp = row * 8u;
  let temperature = bitcast<f32>(samp[sp]);
  let top_p = bitcast<f32>(samp[sp + 1u]);
  let top_k = samp[sp + 2u];
  let greedy = !(temperature > 0.0);
  var inv_t = 1.0;
  if (!greedy) { inv_t = 1.0 / temperature; }

  // Max (and argmax) of z; y = z * inv_t keeps the order, so ymax = zmax * inv_t exactly.
  var best = NEG_BIG;
  var best_i = 0u;
  var least = -NEG_BIG;
  for (var i = lid; i < V; i += wg_size) {
    let z = logits[base + i];
    if (z > best) { best = z; best_i = i; }
    least = min(least, z);
  }
  let am = wg_argmax(lid, best, best_i);
  let ymax = bitcast<f32>(am.x) * inv_t;
  let ymin = wg_min(lid, least) * inv_t;
  var se = 0.0;
  for (var i = lid; i < V; i += wg_size) { se += exp(logits[base + i] * inv_t - ymax); }
  let log_z = log(wg_sum(lid, se)); // logsumexp(y) = ymax + log_z
  let above = ymax + 1.0 + abs(ymax); // no y reaches it

  // top-k threshold: largest tau with count(y >= tau) >= k.
  var tau = ymin;
  if (!greedy && top_k > 0u && top_k < V) {
    var lo = ymin;
    var hi = above;
    for (var it = 0u; it < bisect_steps; it++) {
      let mid = lo + (hi - lo) * 0.5;
      var cnt = 0.0;
      for (var i = lid; i < V; i += wg_size) {
        if (logits[base + i] * inv_t >= mid) { cnt += 1.0; }
      }
      if (wg_sum(lid, cnt) >= f32(top_k)) { lo = mid; } else { hi = mid; }
    }
    tau = lo;
  }
  // top-p threshold among the top-k survivors.
  if (!greedy && top_p < 1.0) {
    var kept = 0.0;
    for (var i = lid; i < V; i += wg_size) {
      let y = logits[base + i] * inv_t;
      if (y >= tau) { kept += exp(y - ymax); }
    }
    let want = top_p * wg_sum(lid, kept);
    var lo = tau;
    var hi = above;
    for (var it = 0u; it < bisect_steps; it++) {
      let mid = lo + (hi - lo) * 0.5;
      var mass = 0.0;
      for (var i = lid; i < V; i += wg_size) {
        let y = logits[base + i] * inv_t;
        if (y >= mid) { mass += exp(y - ymax); }
      }
      if (wg_sum(lid, mass) >= want) { lo = mid; } else { hi = mid; }
    }
    tau = lo;
  }

  // Inverse CDF over the kept tokens, in vocabulary order; thread t owns [t*chunk, (t+1)*chunk).
  let chunk = (V + wg_size - 1u) / wg_size;
  let start = min(lid * chunk, V);
  let end = min(start + chunk, V);
  var part = 0.0;
  var last = NONE;
  for (var i = start; i < end; i++) {
    let y = logits[base + i] * inv_t;
    if (y >= tau) {
      part += exp(y - ymax);
      last = i;
    }
  }
  red[lid] = part;
  redi[lid] = last;
  if (lid == 0u) { chosen = NONE; }
  workgroupBarrier();
  if (lid == 0u) {
    var acc = 0.0;
    var fb = NONE;
    for (var t = 0u; t < wg_size; t++) {
      let p = red[t];
      red[t] = acc; // exclusive prefix
      acc = acc + p;
      if (p > 0.0) { fb = redi[t]; }
    }
    total = acc;
    fallback = fb;
  }
  workgroupBarrier();
  let draw = uniform01(samp[sp + 3u], samp[sp + 4u], samp[sp + 5u]) * total;
  let excl = red[lid];
  if (!greedy && part > 0.0 && excl <= draw && draw < excl + part) {
    var run = excl;
    var pick = last;
    for (var i = start; i < end; i++) {
      let y = logits[base + i] * inv_t;
      if (y >= tau) {
        run += exp(y - ymax);
        if (draw < run) { pick = i; break; }
      }
    }
    chosen = pick;
  }
  workgroupBarrier();
  if (lid == 0u) {
    var token = chosen;
    if (greedy) { token = am.y; } else if (token == NONE) { token = fallback; }
    if (token == NONE) { token = am.y; } // every mass underflowed: cannot happen for finite logits
    let logprob = logits[base + token] * inv_t - ymax - log_z;
    out[2u * row] = token;
    out[2u * row + 1u] = bitcast<u32>(logprob);
  }
}
