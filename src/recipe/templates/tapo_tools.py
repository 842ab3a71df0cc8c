"""TAPO Studio's two tools for a cluster run: Python and local search.

Written by `tapo recipe`; standard library only, plus verl's tool base class
when verl is installed (the classes at the bottom are what the verl tool
config names). TRL's train script wraps `run_python` and `TapoSearch.search`
as plain functions.

What it covers:
- Python runs in a fresh `python3 -I` subprocess per call, killed at the time
  limit (2 s, as the studio); stdout is returned cut in the middle to a
  character cap; an empty stdout returns the studio's warning to print.
- Search reads the corpus exported beside the recipe (JSONL rows
  {"id", "title", "text"}), ranks documents with BM25 over title and text,
  and answers `Doc i: (Title: ...) snippet` lines, top 3, with the studio's
  texts for no result and for queries under 3 or over 300 characters.

What it does not cover:
- No sandbox beyond the subprocess and its time limit: the code can read
  files and open sockets. Run the workers in a container without secrets.
- The ranking is BM25, not the studio's MiniSearch index: the top documents
  can differ for the same query on some queries.
- Interpreter state does not persist between calls (the studio's sessions do).
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from collections import Counter

EMPTY_STDOUT_WARNING = (
    "[Warning] The code ran without errors but printed nothing. The tool only shows what the code prints: "
    "use print(...) to output the values you need, for example print(result)."
)
NO_RESULTS_TEXT = "No relevant information was found for this query."


def cut_middle(text: str, budget: int) -> str:
    """`text` cut in its middle to `budget` characters, with a marker saying how much went."""
    if len(text) <= budget:
        return text
    head = text[: (budget + 1) // 2]
    tail = text[len(text) - (budget - len(head)) :] if budget > len(head) else ""
    return f"{head}\n[… {len(text) - len(head) - len(tail)} characters cut …]\n{tail}"


def timeout_message(seconds: float) -> str:
    shown = f"{int(seconds)} s" if float(seconds).is_integer() else f"{seconds:.1f} s"
    return (
        f"Execution timed out after {shown}: the code was stopped. "
        "Make it faster (fewer iterations, a closed-form formula, no endless loops) and print the result."
    )


def run_python(code: str, timeout_s: float = 2.0, cap: int = 2000) -> str:
    """Runs `code` in a fresh isolated interpreter and returns the text the model sees."""
    try:
        done = subprocess.run(
            [sys.executable, "-I", "-c", code],
            capture_output=True,
            text=True,
            timeout=timeout_s,
            stdin=subprocess.DEVNULL,
            env={"PATH": os.environ.get("PATH", ""), "PYTHONIOENCODING": "utf-8"},
        )
    except subprocess.TimeoutExpired:
        return timeout_message(timeout_s)
    out = done.stdout
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        error = "\n".join(lines[-4:]) if lines else f"the interpreter exited with code {done.returncode}"
        error = cut_middle(error, cap)
        if not out:
            return error
        room = max(cap // 4, cap - len(error) - 1)
        shown = cut_middle(out, room)
        return f"{shown}{'' if shown.endswith(chr(10)) else chr(10)}{error}"
    return cut_middle(out, cap) if out else EMPTY_STDOUT_WARNING


_WORD = re.compile(r"\w+", re.UNICODE)


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def trim_snippet(text: str, max_chars: int = 400) -> str:
    flat = " ".join(text.split())
    if len(flat) <= max_chars:
        return flat
    cut = flat[:max_chars]
    space = cut.rfind(" ")
    cut = cut[:space] if space >= max_chars / 2 else cut
    return cut.rstrip(" ,;:.") + "…"


class TapoSearch:
    """BM25 over a JSONL corpus of {"id", "title", "text"} rows, answering as the studio's search tool."""

    def __init__(self, corpus_path: str, top_k: int = 3, min_chars: int = 3, max_chars: int = 300):
        self.docs: list[dict] = []
        with open(corpus_path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line:
                    row = json.loads(line)
                    if isinstance(row, dict) and row.get("text"):
                        self.docs.append({"title": str(row.get("title", "")), "text": str(row["text"])})
        if not self.docs:
            raise ValueError(f"{corpus_path} holds no documents")
        self.top_k, self.min_chars, self.max_chars = top_k, min_chars, max_chars
        self.tf = [Counter(_words(d["title"] + " " + d["title"] + " " + d["text"])) for d in self.docs]
        self.lengths = [sum(c.values()) for c in self.tf]
        self.avg = sum(self.lengths) / len(self.lengths)
        df = Counter(w for c in self.tf for w in c)
        n = len(self.docs)
        self.idf = {w: math.log(1 + (n - k + 0.5) / (k + 0.5)) for w, k in df.items()}
        self.cache: dict[str, str] = {}

    def _score(self, i: int, words: list[str]) -> float:
        k1, b = 1.2, 0.75
        tf, norm = self.tf[i], k1 * (1 - b + b * self.lengths[i] / self.avg)
        return sum(self.idf.get(w, 0.0) * tf[w] * (k1 + 1) / (tf[w] + norm) for w in words if w in tf)

    def search(self, query: str) -> str:
        query = query.strip()
        if len(query) < self.min_chars:
            return f"Search query rejected: it has {len(query)} characters and needs at least {self.min_chars}. Write a longer query inside <search>…</search>."
        if len(query) > self.max_chars:
            return f"Search query rejected: it has {len(query)} characters and may have at most {self.max_chars}. Write a shorter query inside <search>…</search>."
        if query in self.cache:
            return self.cache[query]
        words = list(dict.fromkeys(_words(query)))
        scored = sorted(((self._score(i, words), i) for i in range(len(self.docs))), key=lambda s: (-s[0], s[1]))
        hits = [self.docs[i] for s, i in scored[: self.top_k] if s > 0]
        text = (
            "\n".join(f"Doc {k + 1}: (Title: {' '.join(d['title'].split())}) {trim_snippet(d['text'])}".rstrip() for k, d in enumerate(hits))
            if hits
            else NO_RESULTS_TEXT
        )
        self.cache[query] = text
        return text


def _here(path: str) -> str:
    return path if os.path.isabs(path) else os.path.join(os.path.dirname(os.path.abspath(__file__)), path)


try:  # verl's tool interface; absent when TRL runs the recipe
    from verl.tools.base_tool import BaseTool
    from verl.tools.schemas import ToolResponse
except ImportError:  # pragma: no cover - depends on the engine installed
    BaseTool = None

if BaseTool is not None:

    class TapoPythonTool(BaseTool):
        """verl tool: {"code": str} → the studio's Python response. Config: timeout_s, cap."""

        async def execute(self, instance_id: str, parameters: dict, **kwargs):
            code = parameters.get("code")
            if not isinstance(code, str) or not code.strip():
                return ToolResponse(text='function python needs a string argument "code"'), 0.0, {}
            cfg = self.config or {}
            text = run_python(code, float(cfg.get("timeout_s", 2.0)), int(cfg.get("cap", 2000)))
            return ToolResponse(text=text), 0.0, {}

    class TapoSearchTool(BaseTool):
        """verl tool: {"query": str} → top documents of the exported corpus. Config: corpus_path, top_k."""

        _index: TapoSearch | None = None

        def _search(self) -> TapoSearch:
            if TapoSearchTool._index is None:
                cfg = self.config or {}
                TapoSearchTool._index = TapoSearch(_here(cfg.get("corpus_path", "corpus.jsonl")), int(cfg.get("top_k", 3)))
            return TapoSearchTool._index

        async def execute(self, instance_id: str, parameters: dict, **kwargs):
            query = parameters.get("query")
            if not isinstance(query, str) or not query.strip():
                return ToolResponse(text='function search needs a string argument "query"'), 0.0, {}
            return ToolResponse(text=self._search().search(query)), 0.0, {}
