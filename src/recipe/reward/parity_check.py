"""Parity runner for tapo_reward.py: ``python3 parity_check.py --check cases.json`` scores the cases that
src/recipe/reward/reward_parity.test.ts generates (single rollouts, groups, and the same groups through the verl
and TRL adapters) and prints the results as JSON for the test to compare with the TypeScript reward. Test
scaffolding only; the recipes ship tapo_reward.py alone.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Dict, Sequence

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tapo_reward as t  # noqa: E402


def _adapters(case: Dict[str, Any]) -> Dict[str, Any]:
    """A group case's totals through the engine adapters, as the recipes would call them."""
    n = len(case["responses"])
    overlong = {"max_response_tokens": case["maxResponseTokens"], "overlong_buffer": case["overlongBuffer"]} if "maxResponseTokens" in case else {}
    infos = [
        {"kind": case["kind"], "format": case["format"], "policy_tokens": case["policyTokens"][i], "tool_calls": case["toolCalls"][i],
         "tool_factor": case["toolFactor"], "uid": "question-7", **overlong}
        for i in range(n)
    ]
    batch = t.compute_score_batch(["parity"] * n, case["responses"], [case["gold"]] * n, infos)
    trl = t.make_trl_reward(case.get("maxResponseTokens"), case.get("overlongBuffer"), case["toolFactor"])(
        prompts=[[{"role": "user", "content": "Question: q"}]] * n,
        completions=[r if n % 2 else [{"role": "assistant", "content": r}] for r in case["responses"]],
        answers=[case["gold"]] * n,
        kind=[case["kind"]] * n,
        format=[case["format"]] * n,
        policy_tokens=case["policyTokens"],
        tool_calls=case["toolCalls"],
    )
    single = None
    if not case["toolFactor"]:
        single = [t.compute_score("parity", r, json.dumps(case["gold"]), dict(infos[i], answers=None))["score"] for i, r in enumerate(case["responses"])]
    return {"verlBatch": [b["score"] for b in batch], "trl": trl, "verl": single}


def _run_case(case: Dict[str, Any]) -> Any:
    try:
        if case["mode"] == "group":
            rewards = t.score_group(
                case["responses"],
                case["gold"],
                case["kind"],
                policy_tokens=case.get("policyTokens"),
                tool_calls=case.get("toolCalls"),
                tool_factor=case.get("toolFactor", False),
                fmt=case["format"],
                max_response_tokens=case.get("maxResponseTokens"),
                overlong_buffer=case.get("overlongBuffer"),
            )
            return {"rewards": rewards, **_adapters(case)}
        tags = t.tags_of(case["format"])
        reward = t.score_rollout(
            case["response"],
            case["gold"],
            case["kind"],
            fmt=tags,
            qa_match=case.get("qaMatch", "substring"),
            tolerance=tuple(case.get("tolerance", t.CALC_TOLERANCE)),
        )
        answer = t.extract_answer(case["response"], tags["answer"])
        parts = {
            "format": t.check_format(case["response"], tags),
            "answer": answer,
            "normalizeQa": None if answer is None else t.normalize_qa(answer),
            "cleanMath": None if answer is None else t.clean_math(answer),
            "numberWords": t.number_words_to_digits(case["response"]),
        }
        return {"reward": reward, "parts": parts}
    except ValueError as e:
        return {"error": type(e).__name__}


def main(argv: Sequence[str]) -> int:
    if len(argv) != 2 or argv[0] != "--check":
        print("usage: python3 parity_check.py --check cases.json", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        cases = json.load(f)
    json.dump({"formats": t.FORMAT_TAGS, "results": [_run_case(c) for c in cases]}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
