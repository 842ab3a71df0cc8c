"""TAPO Studio's rollout loop for tag formats (tapo, search-r1), as a verl agent loop.

Written by `tapo recipe --to verl` for formats whose tool calls are tags
(<search>...</search>, <code>...</code>), which verl's own tool agent loop
does not parse (it reads the chat template's <tool_call> JSON). The rules are
the studio's (src/rollout/rollout_state.ts), read from tapo_loop.json:

- a turn ends at the first closing tag in the newly decoded text, calls'
  closing tags checked before the answer's; text after it is cut
- a closed answer block ends the rollout; an end-of-turn token ends it too
- a valid call runs its tool; the output, cut to the tool token budget, goes
  in as forced tokens (mask 0) wrapped as `before + OUTPUT + after`
- anything else gets the corrective message as forced tokens
- calls and corrective turns both count against max_turns; once spent, the
  next closing tag ends the rollout
- the response budget counts the policy's own tokens

Departure: the rollout server generates each turn to its end and the loop
cuts it at the closing tag (the studio stops sampling there); the cut tokens
are never seen by the trainer, they only cost generation time.

`TagRollout` is the loop without verl (tested with a fake tokenizer and
server); `TapoTagAgentLoop` is the verl adapter, named in agent_loop.yaml.
"""

from __future__ import annotations

import json
import os
from typing import Any, Awaitable, Callable, Optional
from uuid import uuid4

from tapo_tools import TapoSearch, run_python

HERE = os.path.dirname(os.path.abspath(__file__))


def find_stop(text: str, start: int, spec: dict) -> Optional[tuple[str, Optional[dict], int, int]]:
    """The closing tag ending at or after `start`: ("call", tag, start, end) or ("answer", None, start, end)."""
    stops = [("call", tag, tag["close"]) for tag in spec["calls"]] + [("answer", None, spec["answer"]["close"])]
    for kind, tag, close in stops:
        at = text.find(close, max(0, start - len(close) + 1))
        if at >= 0:
            return kind, tag, at, at + len(close)
    return None


def block_inner(text: str, open_tag: str, close_start: int) -> Optional[str]:
    at = text.rfind(open_tag, 0, close_start)
    return None if at < 0 else text[at + len(open_tag) : close_start]


def after_tail(wrapped: str, tail: str) -> str:
    return wrapped[len(tail) :] if tail and wrapped.startswith(tail) else wrapped


class TagRollout:
    """One rollout: policy tokens (mask 1) and forced tokens (mask 0), by the studio's turn rules."""

    def __init__(self, spec: dict, encode: Callable[[str], list], decode: Callable[[list], str], stop_ids: list, tools: dict):
        self.spec, self.encode, self.decode, self.stop_ids, self.tools = spec, encode, decode, set(stop_ids), tools
        self.ids: list = []
        self.mask: list = []
        self.logprobs: list = []
        self.policy_tokens = 0
        self.action_turns = 0
        self.turns = 0
        self.finish: Optional[str] = None
        self.sampled_logprobs = True  # False once a turn came back without log-probs

    def _force(self, text: str) -> None:
        ids = self.encode(text)
        self.ids += ids
        self.mask += [0] * len(ids)
        self.logprobs += [0.0] * len(ids)
        self.turns += 1

    def _tool_output(self, tool: str, text: str) -> str:
        out = self.tools[tool](text)
        ids = self.encode(out)
        budget = self.spec["tool_response_tokens"]
        return out if len(ids) <= budget else self.decode(ids[:budget])

    def take_turn(self, token_ids: list, logprobs: Optional[list]) -> bool:
        """Adds one generated turn; True when the rollout goes on (call generate again)."""
        turn, held = "", []
        for k, token in enumerate(token_ids):
            self.ids.append(token)
            self.mask.append(1)
            self.logprobs.append(logprobs[k] if logprobs else 0.0)
            self.sampled_logprobs = self.sampled_logprobs and bool(logprobs)
            self.policy_tokens += 1
            if token in self.stop_ids:
                self.finish = "eos"
                return False
            held.append(token)
            piece = self.decode(held)
            if piece.endswith("\ufffd") and len(held) < 8:
                continue
            start, turn, held = len(turn), turn + piece, []
            match = find_stop(turn, start, self.spec)
            if match is not None:
                return self._end_turn(turn, match)
            if self.policy_tokens >= self.spec["max_response_tokens"]:
                self.finish = "length"
                return False
        self.finish = "length"  # the server stopped without an end-of-turn token: out of room
        return False

    def _end_turn(self, turn: str, match: tuple) -> bool:
        kind, tag, start, end = match
        cut, tail = turn[:end], turn[end:]
        if kind == "answer" and block_inner(cut, self.spec["answer"]["open"], start) is not None:
            self.finish = "answer"
            return False
        if self.action_turns >= self.spec["max_turns"]:
            self.finish = "max_turns"
            return False
        if self.policy_tokens >= self.spec["max_response_tokens"]:
            self.finish = "length"
            return False
        self.action_turns += 1
        if kind == "call":
            inner = block_inner(cut, tag["open"], start)
            if inner is not None and inner.strip() and tag["tool"] in self.tools:
                output = self._tool_output(tag["tool"], inner.strip())
                self._force(after_tail(self.spec["response"]["before"] + output + self.spec["response"]["after"], tail))
                return True
        self._force(after_tail(self.spec["corrective"], tail))
        return True


def load_spec(path: str = os.path.join(HERE, "tapo_loop.json")) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def make_tools(spec: dict) -> dict:
    search = TapoSearch(os.path.join(HERE, "corpus.jsonl")) if "search" in spec["tools"] else None
    tools: dict = {}
    if search is not None:
        tools["search"] = search.search
    if "python" in spec["tools"]:
        tools["python"] = lambda code: run_python(code, spec["python_timeout_s"], spec["python_cap"])
    return tools


async def run_rollout(spec: dict, tools: dict, prompt_ids: list, generate: Callable[[list], Awaitable[tuple]], encode, decode, stop_ids, room: int) -> TagRollout:
    """Drives TagRollout: `generate(ids)` returns (token_ids, logprobs) for one turn; `room` caps all response tokens."""
    r = TagRollout(spec, encode, decode, stop_ids, tools)
    while len(r.ids) < room:
        token_ids, logprobs = await generate(prompt_ids + r.ids)
        if not r.take_turn(list(token_ids), logprobs):
            break
    return r


try:  # verl's agent loop interface; absent outside verl
    from verl.experimental.agent_loop.agent_loop import AgentLoopBase, AgentLoopOutput
except ImportError:  # pragma: no cover - depends on the engine installed
    AgentLoopBase = None

if AgentLoopBase is not None:

    class TapoTagAgentLoop(AgentLoopBase):
        """verl agent loop running the studio's tag-format rollout (agent_loop.yaml names it tapo_tag_agent)."""

        _spec: Optional[dict] = None
        _tools: Optional[dict] = None

        def __init__(self, *args: Any, **kwargs: Any):
            super().__init__(*args, **kwargs)
            if TapoTagAgentLoop._spec is None:
                TapoTagAgentLoop._spec = load_spec()
                TapoTagAgentLoop._tools = make_tools(TapoTagAgentLoop._spec)
            self.response_length = self.config.actor_rollout_ref.rollout.response_length

        async def run(self, sampling_params: dict[str, Any], **kwargs: Any) -> AgentLoopOutput:
            messages = list(kwargs["raw_prompt"])
            prompt_ids = await self.apply_chat_template(messages)
            tok = self.tokenizer

            async def generate(ids: list) -> tuple:
                out = await self.server_manager.generate(request_id=uuid4().hex, prompt_ids=ids, sampling_params=sampling_params)
                return out.token_ids, out.log_probs

            stop_ids = [i for i in {tok.eos_token_id, tok.convert_tokens_to_ids("<|im_end|>")} if isinstance(i, int) and i >= 0]
            r = await run_rollout(
                self._spec,
                self._tools,
                prompt_ids,
                generate,
                lambda text: tok.encode(text, add_special_tokens=False),
                lambda ids: tok.decode(ids),
                stop_ids,
                self.response_length,
            )
            n = self.response_length
            return AgentLoopOutput(
                prompt_ids=prompt_ids,
                response_ids=r.ids[:n],
                response_mask=r.mask[:n],
                response_logprobs=r.logprobs[:n] if r.sampled_logprobs else None,
                num_turns=r.turns + 2,
                metrics={},
            )
