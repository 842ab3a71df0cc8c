#!/usr/bin/env python3
"""Native SFT of the bundled tiny model: a Qwen2 causal LM in plain PyTorch (f32, CPU)
that computes what the engine's WebGPU SFT computes, much faster than the engine on
SwiftShader. It plays the part llm.c's train_gpt2.py plays there: the same model and
update in a second implementation, checked against the engine by
src/sft/sft_golden.gpu.test.ts (fixture written by scripts/tiny_sft_golden.py).

Speed at the tiny shape (hidden 64, vocab 768, batch 16 x ~135 tokens), one thread on a busy
2-core machine: 0.08 s a step with OpenBLAS, 0.75 s with Debian's reference libblas3 (which
Debian's torch uses unless `apt-get install libopenblas0-pthread`), ~10 s with the engine on
SwiftShader. A second thread was slower every time (the cores are shared), hence --threads 1.

What "the same" means (each mirrors a file of the engine):
  1. Model (src/ref/model.ts): embedding; per layer RMSNorm -> q, k, v (biases on q, k, v
     only) -> RoPE rotate-half -> causal GQA attention -> o -> residual; RMSNorm -> SwiGLU
     MLP -> residual; final RMSNorm; output head tied to the embedding when tieEmbeddings.
  2. Loss (src/sft/sft_weights.ts, src/rl/loss_batch.ts): the gradient is that of
     L = sum_b sum_t w[b][t] logp[b][t], position t predicting token t + 1, w = -1/N where
     origins[t + 1] is "policy", -forcedWeights[t + 1]/N on other tokens that carry a weight,
     N = policy targets in the batch. The reported loss is the policy targets' mean
     cross-entropy only. Batches are right-padded; padding has weight 0.
  3. Update (shaders/adamw_update.wgsl, src/model/optimizer.ts): the global gradient norm
     over every parameter, g *= min(1, maxNorm / (norm + 1e-6)), then AdamW with bias
     correction, eps added to sqrt(v / bias2), and decoupled weight decay lr * wd * p on
     EVERY parameter (embedding, norms and biases included), all in f32.
  4. Learning rate (src/rl/schedule.ts learningRate, kind "cosine").
  5. Random init (src/model/weights.ts randomWeights): the same mulberry32 stream, so a
     seed gives bit-identical starting weights in both implementations.

Usage:
  /usr/bin/python3 scripts/tiny_sft.py --config C.json --train T.jsonl --held-out H.jsonl --out DIR
C.json: {model: {hidden, intermediate, layers, heads, kvHeads, headDim, rmsEps, ropeTheta,
tieEmbeddings, maxPositions, initScale}, vocab, seed, sft: {steps, batch, lr, warmupSteps,
minLrRatio, beta1, beta2, eps, weightDecay, gradClip}}. T.jsonl / H.jsonl: one SftExample per
line, {"tokens": [...], "origins": ["prompt"|"policy"|"forced", ...], "forcedWeights"?: [...]}.
Writes DIR/model.safetensors (Hugging Face Qwen2 names, F32), DIR/config.json and
DIR/native_sft.json; prints one JSON line per step (or per --log-every steps).
"""
import argparse
import json
import math
import os
import struct
import sys
import time


def threads_flag(argv, default="1"):
    """The value of --threads in argv, read before torch loads (BLAS sizes its thread pool on load)."""
    for i, arg in enumerate(argv):
        if arg == "--threads" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--threads="):
            return arg.split("=", 1)[1]
    return default


if __name__ == "__main__":
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, threads_flag(sys.argv[1:]))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

ORIGINS = ("prompt", "policy", "forced")
LINEAR_NAMES = ("q", "k", "v", "o", "gate", "up", "down")
BIASED = ("q", "k", "v")


class SftInputError(Exception):
    """An input file or setting the trainer cannot use; the message says what to fix."""


# ---------------------------------------------------------------- model shape and tensor names

def model_shape(cfg):
    """The Qwen2 shape of a --config object: model.* plus vocab, checked as src/model/config.ts does."""
    m = dict(cfg["model"])
    m["vocab"] = int(cfg["vocab"])
    if m["heads"] % m["kvHeads"] != 0:
        raise SftInputError(f"heads ({m['heads']}) must be a multiple of kvHeads ({m['kvHeads']})")
    if m["heads"] * m["headDim"] != m["hidden"]:
        raise SftInputError(f"heads x headDim ({m['heads']} x {m['headDim']}) must equal hidden ({m['hidden']})")
    if m["headDim"] % 2 != 0:
        raise SftInputError(f"headDim must be even for rotary embeddings, got {m['headDim']}")
    return m


def linear_shape(m, name):
    """[out, in] of a layer's linear weight (src/model/weights.ts linearShape)."""
    q, kv = m["heads"] * m["headDim"], m["kvHeads"] * m["headDim"]
    return {"q": [q, m["hidden"]], "k": [kv, m["hidden"]], "v": [kv, m["hidden"]], "o": [m["hidden"], q],
            "gate": [m["intermediate"], m["hidden"]], "up": [m["intermediate"], m["hidden"]],
            "down": [m["hidden"], m["intermediate"]]}[name]


def linear_name(layer, name, part="weight"):
    module = f"mlp.{name}_proj" if name in ("gate", "up", "down") else f"self_attn.{name}_proj"
    return f"model.layers.{layer}.{module}.{part}"


def expected_tensors(m):
    """[(HF name, shape)] in checkpoint order, as src/loader/hf_tensors.ts expectedTensors."""
    out = [("model.embed_tokens.weight", [m["vocab"], m["hidden"]])]
    for l in range(m["layers"]):
        out.append((f"model.layers.{l}.input_layernorm.weight", [m["hidden"]]))
        out.append((f"model.layers.{l}.post_attention_layernorm.weight", [m["hidden"]]))
        for name in LINEAR_NAMES:
            shape = linear_shape(m, name)
            out.append((linear_name(l, name), shape))
            if name in BIASED:
                out.append((linear_name(l, name, "bias"), [shape[0]]))
    out.append(("model.norm.weight", [m["hidden"]]))
    if not m["tieEmbeddings"]:
        out.append(("lm_head.weight", [m["vocab"], m["hidden"]]))
    return out


def hf_config_json(m):
    """config.json of a Hugging Face Qwen2 folder (src/model/config.ts toHfConfigJson)."""
    return {"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2", "hidden_size": m["hidden"],
            "intermediate_size": m["intermediate"], "num_hidden_layers": m["layers"],
            "num_attention_heads": m["heads"], "num_key_value_heads": m["kvHeads"], "head_dim": m["headDim"],
            "vocab_size": m["vocab"], "rms_norm_eps": m["rmsEps"], "rope_theta": m["ropeTheta"],
            "tie_word_embeddings": m["tieEmbeddings"], "max_position_embeddings": m["maxPositions"],
            "hidden_act": "silu", "torch_dtype": "float32"}


# ---------------------------------------------------------------- parameters: one flat f32 buffer

class Params:
    """Every parameter as one flat f32 vector (n), with named views in checkpoint order.
    One buffer keeps the optimizer to a handful of whole-vector ops and applies weight decay
    and the global norm to every parameter, as the engine does."""

    def __init__(self, m, tensors):
        self.layout = expected_tensors(m)
        sizes = [math.prod(shape) for _, shape in self.layout]
        self.flat = torch.empty(sum(sizes), dtype=torch.float32)
        offset = 0
        self.offsets = {}
        for (name, shape), n in zip(self.layout, sizes):
            if name not in tensors:
                raise SftInputError(f"the initial weights have no tensor {name}")
            value = torch.as_tensor(tensors[name], dtype=torch.float32).reshape(-1)
            if value.numel() != n:
                raise SftInputError(f"{name} has {value.numel()} values, but its shape {shape} needs {n}")
            self.flat[offset:offset + n] = value
            self.offsets[name] = (offset, n, shape)
            offset += n
        self.flat.requires_grad_(True)

    def views(self):
        """{name: tensor view of flat}; call inside each forward so autograd reaches flat."""
        return {name: self.flat[o:o + n].view(*shape) for name, (o, n, shape) in self.offsets.items()}

    def named_arrays(self):
        """[(name, float32 numpy array)] in checkpoint order."""
        data = self.flat.detach().numpy()
        return [(name, data[o:o + n].reshape(shape)) for name, (o, n, shape) in self.offsets.items()]


def mulberry32(seed, n):
    """n values of src/util/random.ts mulberry32(seed), uniform in [0, 1), float64 (vectorised)."""
    with np.errstate(over="ignore"):
        state = (np.uint32(seed & 0xFFFFFFFF) + np.arange(1, n + 1, dtype=np.uint64) * 0x6D2B79F5) & 0xFFFFFFFF
        t = state.astype(np.uint32)
        t = (t ^ (t >> np.uint32(15))) * (t | np.uint32(1))
        t ^= t + (t ^ (t >> np.uint32(7))) * (t | np.uint32(61))
        return (t ^ (t >> np.uint32(14))).astype(np.float64) / 4294967296.0


def random_init(m, seed, scale):
    """randomWeights(config, seed, "f32", scale) of src/model/weights.ts, value for value:
    linear weights uniform in +-scale/sqrt(in), embedding in +-scale, norms 1 + U(+-0.2), biases U(+-0.1)."""
    draws = []  # (name, n, bound, shift) in the order randomWeights consumes its stream
    for l in range(m["layers"]):
        for name in LINEAR_NAMES:
            rows, cols = linear_shape(m, name)
            draws.append((linear_name(l, name), rows * cols, scale / math.sqrt(cols), 0.0))
        draws.append((f"model.layers.{l}.input_layernorm.weight", m["hidden"], 0.2, 1.0))
        draws.append((f"model.layers.{l}.post_attention_layernorm.weight", m["hidden"], 0.2, 1.0))
        for name in BIASED:
            draws.append((linear_name(l, name, "bias"), linear_shape(m, name)[0], 0.1, 0.0))
    draws.append(("model.embed_tokens.weight", m["vocab"] * m["hidden"], scale, 0.0))
    draws.append(("model.norm.weight", m["hidden"], 0.2, 1.0))
    if not m["tieEmbeddings"]:
        draws.append(("lm_head.weight", m["vocab"] * m["hidden"], scale / math.sqrt(m["hidden"]), 0.0))
    stream = mulberry32(seed, sum(n for _, n, _, _ in draws))
    out, at = {}, 0
    for name, n, bound, shift in draws:
        value = ((2 * stream[at:at + n] - 1) * bound).astype(np.float32)  # Float32Array store
        out[name] = (value + np.float32(shift)) if shift else value      # norms: f32 1 + v
        at += n
    return out


# ---------------------------------------------------------------- safetensors, written and read by hand

def write_safetensors(path, named):
    """named: [(name, float32 array)] -> a safetensors file: u64 LE header length, JSON header
    (dtype, shape, data_offsets) padded with spaces to a multiple of 8, raw little-endian data."""
    header, offset = {"__metadata__": {"format": "pt"}}, 0
    for name, arr in named:
        header[name] = {"dtype": "F32", "shape": list(arr.shape), "data_offsets": [offset, offset + arr.nbytes]}
        offset += arr.nbytes
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for _, arr in named:
            f.write(np.ascontiguousarray(arr, dtype="<f4").tobytes())


def read_safetensors(path):
    """{name: float32 array} of a safetensors file (F32, F16 or BF16 tensors)."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        chunk = raw[8 + n + a:8 + n + b]
        if info["dtype"] == "F32":
            arr = np.frombuffer(chunk, dtype="<f4")
        elif info["dtype"] == "F16":
            arr = np.frombuffer(chunk, dtype="<f2").astype(np.float32)
        elif info["dtype"] == "BF16":
            arr = (np.frombuffer(chunk, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            raise SftInputError(f"{path}: tensor {name} is {info['dtype']}; this trainer reads F32, F16 and BF16")
        out[name] = arr.reshape(info["shape"]).astype(np.float32)
    return out


# ---------------------------------------------------------------- the model

def rmsnorm(x, w, eps):
    """x: (B, T, C), w: (C) -> x * rsqrt(mean(x^2) + eps) * w."""
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w


def rope_tables(T, head_dim, theta):
    """cos, sin: (T, HD) f32 of angle = pos * theta^(-2d/HD), computed in float64, halves repeated."""
    inv_freq = theta ** (-2.0 * np.arange(head_dim // 2) / head_dim)
    angle = np.arange(T)[:, None] * inv_freq[None, :]
    angle = np.concatenate([angle, angle], axis=1)
    return torch.from_numpy(np.cos(angle).astype(np.float32)), torch.from_numpy(np.sin(angle).astype(np.float32))


def rope(x, cos, sin):
    """x: (B, H, T, HD) -> rotate-half: out[d] = x[d] cos - x[d + HD/2] sin, out[d + HD/2] = x[d + HD/2] cos + x[d] sin."""
    half = x.shape[-1] // 2
    rotated = torch.cat([-x[..., half:], x[..., :half]], dim=-1)
    return x * cos + rotated * sin


def attention(q, k, v, mask):
    """q: (B, NH, T, HD), k, v: (B, NKV, T, HD), mask: (T, T) True above the diagonal -> (B, T, NH*HD).
    Query head h reads kv head h // (NH / NKV); scores scaled by 1/sqrt(HD)."""
    B, NH, T, HD = q.shape
    group = NH // k.shape[1]
    k = k.repeat_interleave(group, dim=1)
    v = v.repeat_interleave(group, dim=1)
    scores = (q @ k.transpose(-1, -2)) * (1.0 / math.sqrt(HD))
    probs = torch.softmax(scores.masked_fill(mask, float("-inf")), dim=-1)
    return (probs @ v).transpose(1, 2).reshape(B, T, NH * HD)


def forward_logp(m, p, ids, targets):
    """ids, targets: (B, T) int64 -> logp: (B, T) f32, log p(targets[b, t] | ids[b, :t + 1])."""
    B, T = ids.shape
    NH, NKV, HD, eps = m["heads"], m["kvHeads"], m["headDim"], m["rmsEps"]
    cos, sin = rope_tables(T, HD, m["ropeTheta"])
    mask = torch.ones(T, T, dtype=torch.bool).triu(1)
    x = F.embedding(ids, p["model.embed_tokens.weight"])  # (B, T, C)
    for l in range(m["layers"]):
        lin = lambda name, h, bias=False: F.linear(h, p[linear_name(l, name)], p[linear_name(l, name, "bias")] if bias else None)
        h = rmsnorm(x, p[f"model.layers.{l}.input_layernorm.weight"], eps)
        q = rope(lin("q", h, True).view(B, T, NH, HD).transpose(1, 2), cos, sin)
        k = rope(lin("k", h, True).view(B, T, NKV, HD).transpose(1, 2), cos, sin)
        v = lin("v", h, True).view(B, T, NKV, HD).transpose(1, 2)
        x = x + lin("o", attention(q, k, v, mask))
        h = rmsnorm(x, p[f"model.layers.{l}.post_attention_layernorm.weight"], eps)
        x = x + lin("down", F.silu(lin("gate", h)) * lin("up", h))
    h = rmsnorm(x, p["model.norm.weight"], eps)
    head = p["model.embed_tokens.weight"] if m["tieEmbeddings"] else p["lm_head.weight"]
    logits = F.linear(h, head)  # (B, T, V)
    return torch.log_softmax(logits, dim=-1).gather(-1, targets.unsqueeze(-1)).squeeze(-1)


# ---------------------------------------------------------------- examples and the loss weights

def check_example(ex, where, vocab):
    """Raises SftInputError naming the example when it is not a usable SftExample."""
    tokens, origins = ex.get("tokens"), ex.get("origins")
    if not isinstance(tokens, list) or not isinstance(origins, list):
        raise SftInputError(f"{where}: an example needs 'tokens' and 'origins' lists")
    if len(tokens) != len(origins):
        raise SftInputError(f"{where}: {len(tokens)} tokens but {len(origins)} origins: give one origin per token")
    if len(tokens) < 2:
        raise SftInputError(f"{where}: {len(tokens)} token(s): it needs at least 2 to predict one")
    fw = ex.get("forcedWeights")
    if fw is not None and len(fw) != len(tokens):
        raise SftInputError(f"{where}: {len(tokens)} tokens but {len(fw)} forced-token weights: give one per token")
    if any(o not in ORIGINS for o in origins):
        raise SftInputError(f"{where}: origins must each be one of {ORIGINS}")
    if any(not isinstance(t, int) or t < 0 or t >= vocab for t in tokens):
        raise SftInputError(f"{where}: a token id lies outside the vocabulary 0..{vocab - 1}")


def read_examples(path, vocab):
    """Yields the examples of a JSONL file one at a time, in file order (streamed)."""
    with open(path, "r", encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if line.strip():
                ex = json.loads(line)
                check_example(ex, f"{path}:{i}", vocab)
                yield ex


def count_examples(path):
    """Non-blank lines of a JSONL file, without parsing them."""
    with open(path, "rb") as f:
        return sum(1 for line in f if line.strip())


def pad_batch(examples, policy_tokens=None):
    """The batch right-padded to its longest example T: ids, targets: (B, T) int64, position t
    predicting targets[b, t] = token t + 1; weights: (B, T) f32 (src/sft/sft_weights.ts sftWeights,
    0 on padding and on each row's last position); policy: (B, T) bool; N, the policy targets
    (or the given denominator)."""
    T = max(len(ex["tokens"]) for ex in examples)
    B = len(examples)
    ids = np.zeros((B, T), dtype=np.int64)
    targets = np.zeros((B, T), dtype=np.int64)
    policy = np.zeros((B, T), dtype=bool)
    forced = np.zeros((B, T), dtype=np.float64)
    for b, ex in enumerate(examples):
        n = len(ex["tokens"])
        ids[b, :n] = ex["tokens"]
        targets[b, :n - 1] = ex["tokens"][1:]
        policy[b, :n - 1] = [o == "policy" for o in ex["origins"][1:]]
        if ex.get("forcedWeights"):
            forced[b, :n - 1] = ex["forcedWeights"][1:]
    N = int(policy.sum()) if policy_tokens is None else policy_tokens
    if N <= 0:
        raise SftInputError("the SFT batch has no policy tokens to learn from (every token is prompt or forced)")
    w = -1.0 / N
    weights = np.where(policy, w, w * forced).astype(np.float32)  # float64 products, stored as f32
    return torch.from_numpy(ids), torch.from_numpy(targets), torch.from_numpy(weights), torch.from_numpy(policy), N


def policy_cross_entropy(logp, policy):
    """Sum over policy positions of -logp, in float64, and their count."""
    return -float(logp.detach()[policy].double().sum()), int(policy.sum())


# ---------------------------------------------------------------- schedule and optimizer

def learning_rate(step, peak, warmup, total, min_ratio):
    """src/rl/schedule.ts learningRate(step, {peak, warmupSteps, kind: "cosine", totalSteps, minRatio})."""
    if step < warmup:
        return peak * (step + 1) / warmup
    floor = peak * min_ratio
    span = total - 1 - warmup
    if span <= 0:
        return peak
    progress = min(1.0, (step - warmup) / span)
    return floor + (peak - floor) * 0.5 * (1 + math.cos(math.pi * progress))


class AdamW:
    """shaders/adamw_update.wgsl over the flat parameter vector, its scalars rounded to f32 as the
    engine's uniform holds them: g' = g * min(1, maxNorm / (norm + 1e-6)); m = b1 m + (1 - b1) g';
    v = b2 v + (1 - b2) g'^2; p -= lr * ((m / bias1) / (sqrt(v / bias2) + eps) + wd * p),
    bias_i = 1 - b_i^t computed in float64. Weight decay applies to every parameter."""

    def __init__(self, n, beta1, beta2, eps, weight_decay, max_norm):
        f32 = np.float32
        self.m = torch.zeros(n, dtype=torch.float32)
        self.v = torch.zeros(n, dtype=torch.float32)
        self.b1, self.b2, self.eps, self.wd = f32(beta1), f32(beta2), f32(eps), f32(weight_decay)
        self.max_norm = f32(max_norm) if math.isfinite(max_norm) and max_norm > 0 else f32(0)
        self.steps = 0

    def step(self, param, grad, lr):
        """One update of param (n) in place from grad (n); returns the norm before clipping."""
        self.steps += 1
        f32 = np.float32
        norm = f32(grad.pow(2).sum().sqrt().item())
        clip = min(f32(1), self.max_norm / (norm + f32(1e-6))) if self.max_norm > 0 else f32(1)
        bias1 = f32(1 - float(self.b1) ** self.steps)
        bias2 = f32(1 - float(self.b2) ** self.steps)
        g = grad * float(clip)
        self.m.mul_(float(self.b1)).add_(g * float(f32(1) - self.b1))
        self.v.mul_(float(self.b2)).add_(g * g * float(f32(1) - self.b2))
        update = (self.m / float(bias1)) / ((self.v / float(bias2)).sqrt() + float(self.eps))
        param.sub_((update + param * float(self.wd)) * float(f32(lr)))
        return float(norm)


# ---------------------------------------------------------------- steps, evaluation, the run

def sft_step(m, params, adam, examples, lr):
    """Forward, backward of sum(w * logp), one AdamW step. Returns (mean policy CE, N, grad norm)."""
    ids, targets, weights, policy, N = pad_batch(examples)
    params.flat.grad = None
    logp = forward_logp(m, params.views(), ids, targets)
    (weights * logp).sum().backward()
    with torch.no_grad():
        norm = adam.step(params.flat, params.flat.grad, lr)
    ce, _ = policy_cross_entropy(logp, policy)
    return ce / N, N, norm


def held_out_loss(m, params, examples, chunk):
    """Mean policy cross-entropy of examples under the current weights, chunk examples at a time."""
    total, tokens = 0.0, 0
    with torch.no_grad():
        views = params.views()
        for i in range(0, len(examples), chunk):
            part = examples[i:i + chunk]
            ids, targets, _, policy, _ = pad_batch(part, policy_tokens=1)
            ce, n = policy_cross_entropy(forward_logp(m, views, ids, targets), policy)
            total, tokens = total + ce, tokens + n
    if tokens == 0:
        raise SftInputError("the held-out examples have no policy tokens")
    return total / tokens


def initial_params(m, cfg, init_dir):
    """Params from DIR/model.safetensors, or randomWeights-equivalent from cfg.seed and model.initScale."""
    if init_dir:
        tensors = read_safetensors(os.path.join(init_dir, "model.safetensors"))
        for name, shape in expected_tensors(m):
            if name in tensors and list(tensors[name].shape) != shape:
                raise SftInputError(f"--init {init_dir}: {name} is {list(tensors[name].shape)} but the config implies {shape}")
        return Params(m, tensors)
    return Params(m, random_init(m, int(cfg["seed"]), float(m.get("initScale", 1.0))))


def blas_library():
    """The BLAS shared library this process loaded (its speed and summation order decide the run's
    seconds and exact bits): Debian's reference libblas3 is ~9x slower than libopenblas0."""
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.lower() and ".so" in line}
        return sorted(libs)
    except OSError:
        return []


def write_folder(out, m, params, record):
    os.makedirs(out, exist_ok=True)
    write_safetensors(os.path.join(out, "model.safetensors"), params.named_arrays())
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(hf_config_json(m), f, indent=2)
        f.write("\n")
    with open(os.path.join(out, "native_sft.json"), "w") as f:
        json.dump(record, f, indent=2)
        f.write("\n")


def train(args):
    torch.set_num_threads(args.threads)
    cfg = json.load(open(args.config))
    m, s = model_shape(cfg), cfg["sft"]
    steps, batch = int(s["steps"]), int(s["batch"])
    have = count_examples(args.train)
    if have < steps * batch:
        raise SftInputError(f"{args.train} holds {have} examples but {steps} steps x batch {batch} need {steps * batch}: write more, or lower sft.steps")
    held_out = list(read_examples(args.held_out, m["vocab"])) if args.held_out else []
    params = initial_params(m, cfg, args.init)
    adam = AdamW(params.flat.numel(), s["beta1"], s["beta2"], s["eps"], s["weightDecay"], s["gradClip"])
    before = held_out_loss(m, params, held_out, batch) if held_out else None
    stream = read_examples(args.train, m["vocab"])
    curve, t0 = [], time.perf_counter()
    for step in range(steps):
        examples = [next(stream) for _ in range(batch)]
        lr = learning_rate(step, s["lr"], s["warmupSteps"], steps, s["minLrRatio"])
        loss, _, _ = sft_step(m, params, adam, examples, lr)
        curve.append([step, loss, lr])
        if step % args.log_every == 0 or step == steps - 1:
            print(json.dumps({"event": "sft", "step": step, "loss": round(loss, 4), "lr": lr, "seconds": round(time.perf_counter() - t0, 2)}), flush=True)
    seconds = time.perf_counter() - t0
    after = held_out_loss(m, params, held_out, batch) if held_out else None
    record = {"trained_by": "scripts/tiny_sft.py", "command": " ".join(sys.argv), "settings": cfg,
              "init": args.init or f"random (randomWeights, seed {cfg['seed']}, scale {m.get('initScale', 1.0)})",
              "train": args.train, "held_out": args.held_out, "held_out_examples": len(held_out),
              "held_out_loss_before": before, "held_out_loss_after": after, "curve": curve,
              "seconds": round(seconds, 3), "seconds_per_step": round(seconds / max(1, steps), 4),
              "torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_library()}
    write_folder(args.out, m, params, record)
    print(json.dumps({"event": "done", "out": args.out, "held_out_loss_before": before, "held_out_loss_after": after, "seconds": round(seconds, 2)}), flush=True)


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--config", required=True, help="JSON: {model, vocab, seed, sft} (see the module docstring)")
    p.add_argument("--train", required=True, help="JSONL of SftExamples, consumed in file order, sft.batch per step")
    p.add_argument("--held-out", default=None, help="JSONL of SftExamples for the loss before and after training")
    p.add_argument("--init", default=None, help="Hugging Face folder whose model.safetensors starts training (default: random init from seed)")
    p.add_argument("--out", required=True, help="folder for model.safetensors, config.json and native_sft.json")
    p.add_argument("--threads", type=int, default=1, help="torch CPU threads (1 is fastest at the tiny shape)")
    p.add_argument("--log-every", type=int, default=1, help="print a progress line every k steps")
    return p.parse_args(argv)


if __name__ == "__main__":
    try:
        train(parse_args())
    except SftInputError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
