"""TAPO Studio experiment on TRL's GRPOTrainer (written by `tapo recipe --to trl`).

Reads config.yaml beside this file: `grpo` (GRPOConfig arguments), `lora`
(peft LoraConfig arguments; unused when ./adapter holds a PEFT adapter,
which training goes on from), `reward` (arguments of
tapo_reward.make_trl_reward: overlong shaping and the tool-efficiency
factor) and `tapo` (what the generated tools read; tools off for formats
that call tools with tags, which TRL's tool loop does not parse). The data
are train.parquet and test.parquet; the reward is tapo_reward.py's TRL
adapter; the tools are tapo_tools.py's Python and search, offered through
GRPOTrainer's `tools=` (TRL >= 1.0 documents it; the model must call tools
through its chat template, i.e. Qwen2.5's <tool_call> JSON: the studio's
`qwen-native` format). Tools need transformers >= 5.0 and jmespath.
"""

import os
import sys

import yaml
from datasets import load_dataset
from peft import LoraConfig, PeftModel
from transformers import AutoModelForCausalLM, AutoTokenizer
from trl import GRPOConfig, GRPOTrainer

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import tapo_reward  # noqa: E402
from tapo_tools import TapoSearch, run_python  # noqa: E402

with open(os.path.join(HERE, "config.yaml"), encoding="utf-8") as f:
    CONFIG = yaml.safe_load(f)
TAPO = CONFIG["tapo"]
_search = TapoSearch(os.path.join(HERE, "corpus.jsonl"))


def search(query: str) -> str:
    """
    Search an encyclopedia and return the best matching passages.

    Args:
        query: A short search query.

    Returns:
        The top documents, one "Doc i: (Title: ...) snippet" line each.
    """
    return _search.search(query)[: TAPO["tool_response_chars"]]


def python(code: str) -> str:
    """
    Run Python code and return what it prints (stdout).

    Args:
        code: Python code; print the values you need.

    Returns:
        The printed output, or the error.
    """
    return run_python(code, TAPO["python_timeout_s"], min(2000, TAPO["tool_response_chars"]))


def main() -> None:
    model_id = os.environ.get("MODEL", CONFIG["model"])
    data = load_dataset("parquet", data_files={"train": os.path.join(HERE, "train.parquet"), "test": os.path.join(HERE, "test.parquet")})
    grpo = dict(CONFIG["grpo"])
    # config.yaml's gradient_accumulation_steps is for one process: each of WORLD_SIZE processes takes its share.
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if grpo["gradient_accumulation_steps"] % world != 0:
        raise SystemExit(f"gradient_accumulation_steps {grpo['gradient_accumulation_steps']} does not divide among {world} processes: change GPUS or promptsPerBatch / miniBatches")
    grpo["gradient_accumulation_steps"] //= world
    args = GRPOConfig(output_dir=os.environ.get("OUT", os.path.join(HERE, "output")), **grpo)
    rewards = [tapo_reward.make_trl_reward(**CONFIG["reward"])]
    model = AutoModelForCausalLM.from_pretrained(model_id, dtype="auto")
    peft_config = None
    adapter = os.path.join(HERE, "adapter")
    if os.path.exists(os.path.join(adapter, "adapter_config.json")):
        model = PeftModel.from_pretrained(model, adapter, is_trainable=True)
    elif CONFIG["lora"] is not None:
        peft_config = LoraConfig(task_type="CAUSAL_LM", **CONFIG["lora"])
    trainer = GRPOTrainer(
        model=model,
        processing_class=AutoTokenizer.from_pretrained(model_id),
        reward_funcs=rewards,
        args=args,
        train_dataset=data["train"],
        eval_dataset=data["test"],
        peft_config=peft_config,
        tools=[search, python] if TAPO["tools"] else None,
    )
    trainer.train()
    trainer.save_model(args.output_dir)


if __name__ == "__main__":
    main()
