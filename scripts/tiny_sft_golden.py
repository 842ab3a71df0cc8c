#!/usr/bin/env python3
"""Writes the golden fixture of src/sft/sft_golden.gpu.test.ts into src/sft/golden/: a small
random Qwen2 as a Hugging Face folder (config.json, model.safetensors), one fixed batch of
SFT examples (batch.json: uneven lengths, all three origins, forcedWeights on one), and
record.json: the AdamW settings, the learning rate of each step, and the loss and gradient
norm scripts/tiny_sft.py (the native PyTorch trainer) reports for each of a few steps on that
batch, then the batch's loss after the last step. The engine's sftStep must replay them.

Usage: /usr/bin/python3 scripts/tiny_sft_golden.py [--out src/sft/golden]
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tiny_sft  # noqa: E402

COMMAND = "/usr/bin/python3 scripts/tiny_sft_golden.py --out src/sft/golden"
SEED = 20260117
MODEL = {"hidden": 32, "intermediate": 32, "layers": 2, "heads": 2, "kvHeads": 1, "headDim": 16, "vocab": 61,
         "rmsEps": 1e-6, "ropeTheta": 10000, "tieEmbeddings": True, "maxPositions": 64, "initScale": 0.5}
# A large rate and weight decay so every part of the update moves the later losses;
# maxNorm 1 clips the first steps (the record holds each step's norm before clipping).
SFT = {"steps": 4, "lr": 0.02, "warmupSteps": 2, "minLrRatio": 0.1, "beta1": 0.9, "beta2": 0.98, "eps": 1e-8,
       "weightDecay": 0.1, "gradClip": 1.0}
# Per example: (origin, count) runs; uneven lengths so padding is exercised.
SHAPES = [
    [("prompt", 5), ("policy", 4), ("forced", 4), ("policy", 3)],
    [("prompt", 3), ("policy", 6)],
    [("prompt", 7), ("policy", 2), ("forced", 6), ("policy", 5), ("forced", 2), ("policy", 1)],
    [("prompt", 2), ("policy", 3), ("forced", 2), ("policy", 1)],
]
FORCED_WEIGHTED = 2  # this example carries forcedWeights: 0.5 on its first forced run, 0 on its second


def golden_batch(rng, vocab):
    """The fixed batch: SHAPES filled with random token ids."""
    batch = []
    for i, runs in enumerate(SHAPES):
        origins = [o for o, n in runs for _ in range(n)]
        ex = {"tokens": rng.integers(0, vocab, len(origins)).tolist(), "origins": origins}
        if i == FORCED_WEIGHTED:
            first_run_end = sum(n for _, n in runs[:3])
            ex["forcedWeights"] = [0.5 if o == "forced" and t < first_run_end else 0 for t, o in enumerate(origins)]
        batch.append(ex)
    return batch


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default="src/sft/golden", help="fixture folder")
    out = p.parse_args().out
    torch.set_num_threads(1)
    m = dict(MODEL)
    batch = golden_batch(np.random.default_rng(SEED), m["vocab"])
    params = tiny_sft.Params(m, tiny_sft.random_init(m, SEED, m["initScale"]))
    os.makedirs(out, exist_ok=True)
    tiny_sft.write_safetensors(os.path.join(out, "model.safetensors"), params.named_arrays())
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(tiny_sft.hf_config_json(m), f, indent=2)
        f.write("\n")
    adam = {"beta1": SFT["beta1"], "beta2": SFT["beta2"], "eps": SFT["eps"], "weightDecay": SFT["weightDecay"], "maxNorm": SFT["gradClip"]}
    opt = tiny_sft.AdamW(params.flat.numel(), SFT["beta1"], SFT["beta2"], SFT["eps"], SFT["weightDecay"], SFT["gradClip"])
    steps = []
    for step in range(SFT["steps"]):
        lr = tiny_sft.learning_rate(step, SFT["lr"], SFT["warmupSteps"], SFT["steps"], SFT["minLrRatio"])
        loss, n, norm = tiny_sft.sft_step(m, params, opt, batch, lr)
        steps.append({"step": step, "lr": lr, "loss": loss, "gradNorm": norm, "policyTokens": n})
    final = tiny_sft.held_out_loss(m, params, batch, len(batch))
    record = {
        "about": "Losses the native PyTorch SFT (scripts/tiny_sft.py) reports on batch.json from this folder's weights; "
                 "src/sft/sft_golden.gpu.test.ts replays them with the engine's sftStep.",
        "generator": "scripts/tiny_sft_golden.py", "command": COMMAND, "torch": torch.__version__,
        "seed": SEED, "model": m, "schedule": {"kind": "cosine", **SFT}, "adam": adam,
        "steps": steps, "finalLoss": final,
    }
    with open(os.path.join(out, "batch.json"), "w") as f:
        json.dump(batch, f)
        f.write("\n")
    with open(os.path.join(out, "record.json"), "w") as f:
        json.dump(record, f, indent=2)
        f.write("\n")
    print(json.dumps({"event": "golden", "out": out, "steps": [[s["loss"], s["gradNorm"]] for s in steps], "final": final}))


if __name__ == "__main__":
    main()
