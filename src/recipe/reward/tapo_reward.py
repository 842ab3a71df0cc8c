"""TAPO Studio's rollout reward as a standalone Python module, for the recipes
exported to verl and TRL (issue 22). Standard library only, Python 3.9+.

It computes exactly what the app's TypeScript reward computes
(src/rl/group_rewards.ts and src/rewards/*.ts); the parity test
src/recipe/reward/reward_parity.test.ts runs both on thousands of random
responses and fails on any difference. Change the two together.

The reward of one rollout (TAPO.md section 3):

    format   the response (all text after the prompt, tool output included)
             is a sequence of the format's blocks with only whitespace
             between them, no nesting, every block closed, tool output only
             right after a tool call, and one answer block that ends it
    answer   the last answer block's text, or its last \\boxed{...} content
    score s  by task kind: "math" exact value / cleaned-string match,
             "calc" numeric tolerance (abs 1e-3 or rel 5%), "qa" whole-word
             substring of the normalised gold (or "exact", or token "f1")
    correct  = format and s > 0.9
    total    = (format ? c * (c > 0 ? tool : 1) : -1) + overlong,  c = 2s - 1
    overlong DAPO's soft penalty on L, the policy's own sampled tokens (tool
             output and other forced text excluded): 0 up to L_max - L_cache,
             linear to -1 at L_max, -1 beyond
    tool     optional OTC-style factor from the tool calls the loop ran and
             the fewest calls among the group's correct rollouts (needs the
             whole group; see tool_efficiency)

Entry points
------------
score_rollout(response, gold, kind, ...)   one rollout, explicit arguments
score_group(responses, gold, kind, ...)    one group of one question (tool factor)

compute_score(data_source, solution_str, ground_truth, extra_info=None)
    verl's per-sample custom reward hook (``custom_reward_function.path`` =
    this file, ``custom_reward_function.name`` = ``compute_score``). Returns a
    dict: "score" is the reward; "acc" (1.0 when correct: the metric for
    ``algorithm.filter_groups.metric=acc``), "format", "overlong" (and "tool")
    go to verl's reward_extra_info. No tool factor: one sample never sees its
    group.
compute_score_batch(data_sources, solution_strs, ground_truths, extra_infos)
    verl's BatchRewardManager hook (``reward_model.reward_manager=batch``,
    ``custom_reward_function.name=compute_score_batch``); returns one such dict
    per sample. Groups rollouts by extra_info["group"] (else "uid", else
    "index") so the tool factor can see each group.
reward_func(prompts, completions, **kwargs)
    a TRL GRPOTrainer reward function: completions as strings or as
    [{"role", "content"}] message lists, dataset columns as keyword lists,
    returns list[float]. make_trl_reward(...) builds one with overlong shaping
    and the tool factor switched on.

Interfaces followed (looked up, not copied): verl's NaiveRewardManager and
BatchRewardManager as in volcengine/verl verl/workers/reward_manager/naive.py
(commit 10a6180) and batch.py (commit abddec4): the hook is called with those
keyword names, a dict result's "score" is the reward and its other keys are
logged; TRL's reward-function docs (v0.20, v0.25) and GRPOTrainer's
_calculate_rewards, which calls reward_func(prompts=..., completions=...,
completion_ids=..., **columns, trainer_state=...); extra keywords are ignored.

Fields read (verl extra_info keys; TRL dataset columns of the same names)
-------------------------------------------------------------------------
ground_truth / answers   gold answers: a string, a list of strings, or a JSON
                         list as a string (TRL: column "answers", else
                         "ground_truth", else "answer", else "solution")
kind                     "math" (default, as for rows that do not say), "qa"
                         or "calc"; any other value is graded as "qa", as the
                         TypeScript does
format                   rollout format preset: "tapo" (default), "search-r1",
                         "qwen-native" or "tiny"
qa_match                 "substring" (default), "exact" or "f1"
policy_tokens            L: sampled tokens of the response (needed when
                         overlong shaping is on)
max_response_tokens, overlong_buffer
                         L_max and L_cache; overlong shaping is on when both
                         are given (verl: in extra_info; TRL: make_trl_reward)
tool_calls               tool calls the rollout loop actually ran (a call in
                         the tools-off last turn did not run); when absent,
                         the closing call tags in the text are counted (verl's
                         extra_info["num_turns"] is not used: turns are not calls)
tool_factor              verl batch: true turns the tool factor on (TRL:
                         make_trl_reward(tool_factor=True))
group / uid / index      verl batch: which rollouts answer the same question
                         (TRL: column "group", else identical prompts)
completion_ids           TRL: its length is L when no policy_tokens column is
                         given (it may include tool output in multi-turn modes)

The solution text must be the response as the model saw it: policy text and
tool output as the runtime inserted it. For "qwen-native", chat turn markers
count as whitespace; if the engine decodes with special tokens skipped, the
leftover role words are free text, which that format allows before the answer.

Behaviour that mirrors JavaScript on purpose: whitespace is JavaScript's set
(String.prototype.trim and regex \\s: no U+0085 or U+001C-U+001F, but U+FEFF);
digits and word boundaries are ASCII only; exact fractions turn into floats
as float(numerator) / float(denominator), overflowing to infinity.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from fractions import Fraction
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

# --- whitespace and regex helpers (JavaScript semantics) ---------------------

JS_WS = (
    "\t\n\u000b\u000c\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_WS = "[" + re.escape(JS_WS) + "]"


def _trim(text: str) -> str:
    return text.strip(JS_WS)


def _rx(pattern: str, flags: int = 0) -> "re.Pattern[str]":
    """A pattern with ``\\s`` written as ``{ws}``, ASCII classes and boundaries."""
    return re.compile(pattern.replace("{ws}", _WS), flags | re.ASCII)


# --- format tags ---------------------------------------------------------------

FORMAT_TAGS: Dict[str, Dict[str, Any]] = {
    "tapo": {"think": "think", "calls": ["search", "code"], "response": "response", "answer": "answer", "control": [], "freeText": False},
    "search-r1": {"think": "think", "calls": ["search"], "response": "information", "answer": "answer", "control": [], "freeText": False},
    "qwen-native": {
        "think": "think",
        "calls": ["tool_call"],
        "response": "tool_response",
        "answer": "answer",
        "control": ["<|im_end|>", "<|im_start|>user", "<|im_start|>assistant"],
        "freeText": True,
    },
    "tiny": {"think": "think", "calls": ["search", "code"], "response": "response", "answer": "answer", "control": [], "freeText": False},
}


def tags_of(fmt: Union[str, Dict[str, Any], None]) -> Dict[str, Any]:
    """The tag set of a format preset name (or a tag dict, returned as is)."""
    if fmt is None:
        return FORMAT_TAGS["tapo"]
    if isinstance(fmt, dict):
        return fmt
    if fmt not in FORMAT_TAGS:
        raise ValueError(f'unknown rollout format "{fmt}": pick one of {", ".join(FORMAT_TAGS)}')
    return FORMAT_TAGS[fmt]


def check_format(response: str, tags: Dict[str, Any]) -> bool:
    """True when `response` is a well-formed sequence of `tags`' blocks ending with the answer."""
    text = response
    for c in tags.get("control") or []:
        if c:
            text = text.replace(c, " " * len(c))
    names = [tags["think"], *tags["calls"], tags["response"], tags["answer"]]
    marks = [m for n in names for m in (f"<{n}>", f"</{n}>")]
    free_text = bool(tags.get("freeText"))
    last: Optional[str] = None
    pos = 0
    while True:
        at, mark = -1, ""
        for m in marks:
            i = text.find(m, pos)
            if i >= 0 and (at < 0 or i < at):
                at, mark = i, m
        gap = text[pos:] if at < 0 else text[pos:at]
        answered = last == tags["answer"]
        if _trim(gap) and (answered or not free_text):
            return False
        if at < 0:
            break
        if answered or mark.startswith("</"):
            return False
        name = mark[1:-1]
        close = f"</{name}>"
        inner_start = at + len(mark)
        close_at = text.find(close, inner_start)
        if close_at < 0:
            return False
        inner = text[inner_start:close_at]
        if name == tags["response"]:
            if last is None or last not in tags["calls"]:
                return False
        elif any(m in inner for m in marks):
            return False
        last = name
        pos = close_at + len(close)
    return last == tags["answer"]


def count_tool_calls(response: str, tags: Dict[str, Any]) -> int:
    """Closing tags of call blocks in `response` (what the runtime would have run)."""
    return sum(response.count(f"</{c}>") for c in tags["calls"])


# --- answer extraction --------------------------------------------------------


def last_block(text: str, tag: str = "answer") -> Optional[str]:
    open_, close = f"<{tag}>", f"</{tag}>"
    close_at = text.rfind(close)
    if close_at < 0:
        return None
    open_at = text.rfind(open_, 0, close_at)
    return None if open_at < 0 else _trim(text[open_at + len(open_) : close_at])


_BOXED = _rx(r"\\(?:boxed|fbox){ws}*\{")


def last_boxed(text: str) -> Optional[str]:
    start = -1
    for m in _BOXED.finditer(text):
        start = m.end()
    if start < 0:
        return None
    depth = 1
    i = start
    while i < len(text):
        ch = text[i]
        if ch == "\\" and text[i + 1 : i + 2] in ("{", "}"):
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return _trim(text[start:i])
        i += 1
    return None


def extract_answer(response: str, answer_tag: str = "answer") -> Optional[str]:
    block = last_block(response, answer_tag)
    if block is None:
        return None
    boxed = last_boxed(block)
    return boxed if boxed is not None else block


# --- number words ---------------------------------------------------------------

_UNITS = {w: i + 1 for i, w in enumerate("one two three four five six seven eight nine".split())}
_TEENS = {w: i + 10 for i, w in enumerate("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: (i + 2) * 10 for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9}
_WORD = re.compile(r"[A-Za-z]+")
_JOIN = _rx(r"(?:{ws}+|{ws}*-{ws}*)")


def _kind(word: str) -> str:
    if word in _UNITS:
        return "unit"
    if word in _TEENS:
        return "teen"
    if word in _TENS:
        return "tens"
    if word == "hundred":
        return "hundred"
    if word in _SCALES:
        return "scale"
    if word in ("and", "a", "zero"):
        return word
    return "other"


def _can_follow(last: Optional[str], nxt: str) -> bool:
    if nxt == "unit":
        return last in (None, "tens", "hundred", "scale", "and")
    if nxt in ("teen", "tens"):
        return last in (None, "hundred", "scale", "and")
    if nxt == "hundred":
        return last in ("unit", "teen", "tens", "a")
    if nxt == "scale":
        return last in ("unit", "teen", "tens", "hundred", "a")
    return False


def _read_number(words: List[Tuple[str, str, int, int]], text: str, i: int) -> Optional[Tuple[int, int]]:
    if words[i][1] == "zero":
        return 0, i + 1
    total = current = 0
    last_scale = math.inf
    last: Optional[str] = None
    nxt = i
    for k in range(i, len(words)):
        word, kind, start, _ = words[k]
        if k > i and not _JOIN.fullmatch(text[words[k - 1][3] : start]):
            break
        after = words[k + 1] if k + 1 < len(words) else None
        if kind == "a":
            if last is not None or after is None or after[1] not in ("hundred", "scale"):
                break
            current = 1
            last = "a"
            continue
        if kind == "and":
            if last not in ("hundred", "scale") or after is None or not _can_follow("and", after[1]):
                break
            last = "and"
            continue
        if not _can_follow(last, kind):
            break
        if kind == "unit":
            current += _UNITS[word]
        elif kind == "teen":
            current += _TEENS[word]
        elif kind == "tens":
            current += _TENS[word]
        elif kind == "hundred":
            if current >= 100:
                break
            current *= 100
        elif kind == "scale":
            scale = _SCALES[word]
            if scale >= last_scale or current == 0:
                break
            total += current * scale
            current = 0
            last_scale = scale
        else:
            break
        last = kind
        nxt = k + 1
    return (total + current, nxt) if nxt > i else None


def _shift_decimal(digits: str, k: int) -> str:
    int_part, _, frac = digits.partition(".")
    moved = int_part + frac[:k].ljust(k, "0")
    rest = frac[k:]
    whole = re.sub(r"^0+(?=[0-9])", "", moved)
    return f"{whole}.{rest}" if rest else whole


_SCALE_DIGITS = _rx(r"(?<![0-9.])([0-9]+(?:\.[0-9]+)?){ws}+(thousand|million|billion)\b", re.IGNORECASE)


def number_words_to_digits(text: str) -> str:
    """`text` with cardinal number phrases in English words replaced by digits."""
    words = [(m.group(0).lower(), _kind(m.group(0).lower()), m.start(), m.end()) for m in _WORD.finditer(text)]
    out: List[str] = []
    copied = 0
    i = 0
    while i < len(words):
        found = _read_number(words, text, i)
        if found is None:
            i += 1
            continue
        value, nxt = found
        out.append(text[copied : words[i][2]] + str(value))
        copied = words[nxt - 1][3]
        i = nxt
    joined = "".join(out) + text[copied:]
    shifts = {"thousand": 3, "million": 6, "billion": 9}
    return _SCALE_DIGITS.sub(lambda m: _shift_decimal(m.group(1), shifts[m.group(2).lower()]), joined)


# --- normalisation ------------------------------------------------------------------

_THOUSANDS = re.compile(r"(?<![0-9.])(?<![0-9],)[0-9]{1,3}(?:,[0-9]{3})+(?![0-9]|,[0-9])")
_DOLLAR_DIGIT = _rx(r"\${ws}*[0-9]")


def strip_thousands(text: str) -> str:
    return _THOUSANDS.sub(lambda m: m.group(0).replace(",", ""), text)


def strip_wrapping(text: str) -> str:
    t = _trim(text)
    if len(t) > 1 and t.startswith("$") and t.endswith("$"):
        t = _trim(t.lstrip("$").rstrip("$"))
    elif _DOLLAR_DIGIT.match(t):
        t = _trim(t[1:])
    if t.endswith(".") and not t.endswith(".."):
        t = _trim(t[:-1])
    return t


_DIGIT_SEP = re.compile(r"([0-9])([./])(?=[0-9])")
_ARTICLES = re.compile(r"\b(?:a|an|the)\b", re.ASCII)
_WS_RUN = _rx(r"{ws}+")


def _js_lower(text: str) -> str:
    return text.lower()


def normalize_qa(text: str) -> str:
    """SQuAD-style form: lowercase, number words to digits, no separators, punctuation, symbols or articles."""
    t = strip_thousands(number_words_to_digits(_js_lower(strip_wrapping(text))))
    t = _DIGIT_SEP.sub(lambda m: m.group(1) + ("\u0000" if m.group(2) == "." else "\u0001"), t)
    t = "".join(ch for ch in t if unicodedata.category(ch)[0] not in "PS")
    t = t.replace("\u0000", ".").replace("\u0001", "/")
    return _trim(_WS_RUN.sub(" ", _ARTICLES.sub(" ", t)))


# --- math answers ------------------------------------------------------------------------

_MATH_STEPS: List[Tuple["re.Pattern[str]", Any]] = [
    (_rx(r"\\[dt]frac"), r"\\frac"),
    (_rx(r"\\(?:left|right)(?![a-zA-Z])"), ""),
    (_rx(r"\\[!,;:>]|\\ |~"), " "),
    (_rx(r"\\(?:text|textbf|mathrm|mathbf|mbox){ws}*\{([^{}]*)\}"), r"\1"),
    (_rx("\\^{ws}*\\{?\\\\circ\\}?|\u00b0"), ""),
    (_rx(r"\\\$"), ""),
    (_rx(r"\\%"), "%"),
    (_rx(r"\{,\}"), ","),
    (re.compile("\u2212"), "-"),
]
_PAREN_WRAP = re.compile(r"\A\\\(([\s\S]*)\\\)\Z")
_BRACKET_WRAP = re.compile(r"\A\\\[([\s\S]*)\\\]\Z")
_VAR_PREFIX = _rx(r"^[a-zA-Z]{ws}*={ws}*(?=[-+0-9.\\({])")
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?%?")


def clean_math(text: str) -> str:
    """The cleaned form of a math answer (LaTeX noise, $, spaces, separators and case removed)."""
    t = strip_wrapping(number_words_to_digits(text))
    t = _PAREN_WRAP.sub(lambda m: m.group(1), t, count=1)
    t = _BRACKET_WRAP.sub(lambda m: m.group(1), t, count=1)
    for pattern, repl in _MATH_STEPS:
        t = pattern.sub(repl, t)
    t = _VAR_PREFIX.sub("", t, count=1)
    t = _WS_RUN.sub("", t)
    if _GROUPED.fullmatch(t):
        t = t.replace(",", "")
    return _js_lower(strip_wrapping(t))


_DECIMAL = re.compile(r"([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?")
_ATOM_NUMBER = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:e[+-]?[0-9]+)?")


def parse_decimal(text: str) -> Optional[Fraction]:
    m = _DECIMAL.fullmatch(text)
    if m is None:
        return None
    sign, int_part, frac, exp = m.group(1), m.group(2), m.group(3) or "", m.group(4) or "0"
    if not int_part and not frac:
        return None
    e = int(exp)
    if abs(e) > 400:
        return None
    n = int(int_part + frac or "0")
    d = 10 ** len(frac)
    if e >= 0:
        n *= 10**e
    else:
        d *= 10**-e
    return Fraction(-n if sign == "-" else n, d)


def _divide(a: Fraction, b: Fraction) -> Optional[Fraction]:
    return None if b == 0 else a / b


class _Reader:
    """expr := ('+'|'-')* atom ('/' atom)*;  atom := decimal | \\frac group group | (expr) | {expr}."""

    def __init__(self, s: str) -> None:
        self.s = s
        self.pos = 0

    def eat(self, token: str) -> bool:
        if not self.s.startswith(token, self.pos):
            return False
        self.pos += len(token)
        return True

    def expr(self) -> Optional[Fraction]:
        sign = 1
        while True:
            if self.eat("-"):
                sign = -sign
            elif not self.eat("+"):
                break
        value = self.atom()
        while value is not None and self.eat("/"):
            den = self.atom()
            value = None if den is None else _divide(value, den)
        return None if value is None else (-value if sign < 0 else value)

    def atom(self) -> Optional[Fraction]:
        if self.eat("\\frac"):
            num = self.group()
            den = None if num is None else self.group()
            return None if num is None or den is None else _divide(num, den)
        for open_, close in (("(", ")"), ("{", "}")):
            if self.eat(open_):
                inner = self.expr()
                return inner if inner is not None and self.eat(close) else None
        m = _ATOM_NUMBER.match(self.s, self.pos)
        if m is None:
            return None
        self.pos = m.end()
        return parse_decimal(m.group(0))

    def group(self) -> Optional[Fraction]:
        if self.eat("{"):
            inner = self.expr()
            return inner if inner is not None and self.eat("}") else None
        ch = self.s[self.pos : self.pos + 1]
        if not ch or ch not in "0123456789":
            return None
        self.pos += 1
        return parse_decimal(ch)


def math_value(cleaned: str) -> Optional[Tuple[Fraction, bool]]:
    """The exact value of a cleaned math answer and whether it ended in "%", or None."""
    percent = cleaned.endswith("%")
    reader = _Reader(cleaned[:-1] if percent else cleaned)
    value = reader.expr()
    return (value, percent) if value is not None and reader.pos == len(reader.s) else None


def _readings(v: Tuple[Fraction, bool]) -> List[Fraction]:
    return [v[0], v[0] / 100] if v[1] else [v[0]]


def _to_float(q: Fraction) -> float:
    def big(n: int) -> float:
        try:
            return float(n)
        except OverflowError:
            return math.inf if n > 0 else -math.inf

    return big(q.numerator) / big(q.denominator)


def math_equal(pred: str, gold: str) -> bool:
    p, g = clean_math(pred), clean_math(gold)
    pv, gv = math_value(p), math_value(g)
    if pv is not None and gv is not None:
        if pv[1] and gv[1]:
            return pv[0] == gv[0]
        return any(a == b for a in _readings(pv) for b in _readings(gv))
    return len(p) > 0 and p == g


CALC_TOLERANCE = (1e-3, 0.05)


def numeric_close(pred: str, gold: str, tol: Tuple[float, float] = CALC_TOLERANCE) -> bool:
    pv, gv = math_value(clean_math(pred)), math_value(clean_math(gold))
    if pv is None or gv is None:
        return math_equal(pred, gold)
    pairs = [(pv[0], gv[0])] if pv[1] and gv[1] else [(a, b) for a in _readings(pv) for b in _readings(gv)]
    for a, b in pairs:
        x, y = _to_float(a), _to_float(b)
        diff = abs(x - y)
        if diff <= tol[0] or diff <= tol[1] * abs(y):
            return True
    return False


def qa_exact_match(pred: str, gold: str) -> bool:
    g = normalize_qa(gold)
    return len(g) > 0 and normalize_qa(pred) == g


def qa_substring_match(pred: str, gold: str) -> bool:
    g = normalize_qa(gold)
    return len(g) > 0 and f" {g} " in f" {normalize_qa(pred)} "


def qa_token_f1(pred: str, gold: str) -> float:
    p = [w for w in normalize_qa(pred).split(" ") if w]
    g = [w for w in normalize_qa(gold).split(" ") if w]
    if not p or not g:
        return 0
    left: Dict[str, int] = {}
    for w in g:
        left[w] = left.get(w, 0) + 1
    common = 0
    for w in p:
        if left.get(w, 0) > 0:
            common += 1
            left[w] -= 1
    if common == 0:
        return 0
    precision = common / len(p)
    recall = common / len(g)
    return (2 * precision * recall) / (precision + recall)


# --- the reward -----------------------------------------------------------------------------


class NoGoldError(ValueError):
    """Raised when a rollout is scored with no non-empty gold answer."""


def correctness_score(answer: str, gold: Sequence[str], kind: str = "math", qa_match: str = "substring", tolerance: Tuple[float, float] = CALC_TOLERANCE) -> float:
    """The score in [0, 1] of `answer` against the best gold; any kind other than math/calc is graded as QA."""
    golds = [g for g in gold if _trim(g)]
    if not golds:
        raise NoGoldError("cannot score a rollout without gold answers: give the row at least one non-empty answer")
    if kind == "math":
        return 1 if any(math_equal(answer, g) for g in golds) else 0
    if kind == "calc":
        return 1 if any(numeric_close(answer, g, tolerance) for g in golds) else 0
    if qa_match == "f1":
        return max(qa_token_f1(answer, g) for g in golds)
    match = qa_exact_match if qa_match == "exact" else qa_substring_match
    return 1 if any(match(answer, g) for g in golds) else 0


class OverlongConfigError(ValueError):
    """Raised for a length budget that makes no sense (L_cache outside [0, L_max], L < 0)."""


def overlong_penalty(policy_tokens: float, max_tokens: float, cache_tokens: float) -> float:
    """DAPO's soft overlong penalty: 0, then linear down to -1 at max_tokens, -1 beyond."""
    if not all(math.isfinite(x) for x in (policy_tokens, max_tokens, cache_tokens)) or policy_tokens < 0:
        raise OverlongConfigError(f"overlong shaping got L={policy_tokens}, L_max={max_tokens}, L_cache={cache_tokens}: all must be finite and L >= 0")
    if cache_tokens < 0 or cache_tokens > max_tokens:
        raise OverlongConfigError(f"the overlong buffer L_cache={cache_tokens} must lie between 0 and the response budget L_max={max_tokens}")
    soft = max_tokens - cache_tokens
    if policy_tokens <= soft:
        return 0
    if policy_tokens > max_tokens:
        return -1
    return (soft - policy_tokens) / cache_tokens


OTC_SMOOTHING = 1.0


def tool_efficiency(calls: int, fewest: Optional[int], smoothing: float = OTC_SMOOTHING) -> float:
    """OTC-style factor in [0, 1] for m = `calls` when the group's fewest correct calls is n = `fewest`."""
    if fewest is None:
        return 1
    if not smoothing > 0:
        raise ValueError(f"the tool-efficiency smoothing constant must be > 0, got {smoothing}")
    m, n = max(0, calls), max(0, fewest)
    if n == 0:
        return math.cos((m * math.pi) / (2 * m + smoothing))
    if m == 0:
        return 0
    f = (2 * n * m) / (m + n)
    return max(0, math.sin((f * math.pi) / (2 * n)))


def fewest_correct_calls(correct: Iterable[bool], calls: Iterable[int]) -> Optional[int]:
    best: Optional[int] = None
    for ok, c in zip(correct, calls):
        if ok and (best is None or c < best):
            best = c
    return best


def score_rollout(
    response: str,
    gold: Sequence[str],
    kind: str = "math",
    *,
    fmt: Union[str, Dict[str, Any], None] = "tapo",
    qa_match: str = "substring",
    tolerance: Tuple[float, float] = CALC_TOLERANCE,
    policy_tokens: Optional[int] = None,
    max_response_tokens: Optional[int] = None,
    overlong_buffer: Optional[int] = None,
    tool_calls: Optional[int] = None,
    fewest_correct: Optional[int] = None,
    smoothing: float = OTC_SMOOTHING,
) -> Dict[str, Any]:
    """The reward of one rollout as {"total", "correct", "format", "overlong"[, "tool"]}.

    Overlong shaping is on when `max_response_tokens` and `overlong_buffer` are given (then
    `policy_tokens` is required). The tool factor is on when `tool_calls` is given; `fewest_correct`
    is the group's fewest calls among correct rollouts (None: no correct rollout, factor 1).
    """
    if not any(_trim(g) for g in gold):
        raise NoGoldError("cannot score a rollout without gold answers: give the row at least one non-empty answer")
    tags = tags_of(fmt)
    overlong: float = 0
    if max_response_tokens is not None and overlong_buffer is not None:
        if policy_tokens is None:
            raise ValueError("overlong shaping is on but the rollout has no policy_tokens count: pass the number of sampled tokens")
        overlong = overlong_penalty(policy_tokens, max_response_tokens, overlong_buffer)
    tool = None if tool_calls is None else tool_efficiency(tool_calls, fewest_correct, smoothing)
    fmt_ok = check_format(response, tags)
    answer = extract_answer(response, tags["answer"]) if fmt_ok else None
    score = 0 if answer is None else correctness_score(answer, gold, kind, qa_match, tolerance)
    correctness = 2 * score - 1
    base = -1 if not fmt_ok else (correctness * (1 if tool is None else tool) if correctness > 0 else correctness)
    out: Dict[str, Any] = {"total": base + overlong, "correct": fmt_ok and score > 0.9, "format": fmt_ok, "overlong": overlong}
    if tool is not None:
        out["tool"] = tool
    return out


def score_group(
    responses: Sequence[str],
    gold: Sequence[str],
    kind: str = "math",
    *,
    policy_tokens: Optional[Sequence[int]] = None,
    tool_calls: Optional[Sequence[Optional[int]]] = None,
    tool_factor: bool = False,
    **options: Any,
) -> List[Dict[str, Any]]:
    """The rewards of one group (all rollouts of one question), in order; the app's groupRewards.

    With `tool_factor`, each rollout's tool calls are `tool_calls[i]` (calls the loop ran), or when
    that is None the call tags counted in its text; the factor uses the fewest among correct rollouts.
    """
    tags = tags_of(options.get("fmt", "tapo"))
    lengths: List[Optional[int]] = list(policy_tokens) if policy_tokens is not None else [None] * len(responses)
    plain = [score_rollout(r, gold, kind, policy_tokens=lengths[i], **options) for i, r in enumerate(responses)]
    if not tool_factor:
        return plain
    given = list(tool_calls) if tool_calls is not None else [None] * len(responses)
    calls = [c if c is not None else count_tool_calls(r, tags) for c, r in zip(given, responses)]
    fewest = fewest_correct_calls((p["correct"] for p in plain), calls)
    return [
        score_rollout(r, gold, kind, policy_tokens=lengths[i], tool_calls=calls[i], fewest_correct=fewest, **options)
        for i, r in enumerate(responses)
    ]


# --- engine adapters -------------------------------------------------------------------------


def gold_list(value: Any) -> List[str]:
    """Gold answers from a string, a JSON list in a string, or a list (numbers become strings)."""
    if value is None:
        return []
    if isinstance(value, str):
        if value.startswith("["):
            try:
                parsed = json.loads(value)
            except ValueError:
                return [value]
            if isinstance(parsed, list):
                return [str(v) for v in parsed]
        return [value]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if hasattr(value, "tolist"):  # numpy arrays from parquet columns
        return gold_list(value.tolist())
    return [str(value)]


def _options(info: Dict[str, Any]) -> Dict[str, Any]:
    opts: Dict[str, Any] = {"fmt": info.get("format") or "tapo", "qa_match": info.get("qa_match") or "substring"}
    if info.get("max_response_tokens") is not None and info.get("overlong_buffer") is not None:
        opts["max_response_tokens"] = int(info["max_response_tokens"])
        opts["overlong_buffer"] = int(info["overlong_buffer"])
    return opts


def _verl_result(r: Dict[str, Any]) -> Dict[str, Any]:
    out = {"score": float(r["total"]), "acc": float(r["correct"]), "format": float(r["format"]), "overlong": float(r["overlong"])}
    if "tool" in r:
        out["tool"] = float(r["tool"])
    return out


def compute_score(data_source: str, solution_str: str, ground_truth: Any, extra_info: Optional[Dict[str, Any]] = None, **_: Any) -> Dict[str, Any]:
    """verl's per-sample hook: format, correctness and overlong shaping; no tool factor (needs the group)."""
    info = extra_info or {}
    gold = gold_list(info["answers"] if info.get("answers") is not None else ground_truth)
    tokens = info.get("policy_tokens")
    r = score_rollout(solution_str, gold, info.get("kind") or "math", policy_tokens=None if tokens is None else int(tokens), **_options(info))
    return _verl_result(r)


def compute_score_batch(
    data_sources: Sequence[str], solution_strs: Sequence[str], ground_truths: Sequence[Any], extra_infos: Sequence[Optional[Dict[str, Any]]], **_: Any
) -> List[Dict[str, Any]]:
    """verl's BatchRewardManager hook: like compute_score, plus the tool factor when extra_info has "tool_factor": true."""
    infos = [e or {} for e in extra_infos]
    groups: Dict[Any, List[int]] = {}
    for i, info in enumerate(infos):
        key = info.get("group", info.get("uid", info.get("index", ("row", i))))
        groups.setdefault(json.dumps(key, sort_keys=True, default=str), []).append(i)
    out: List[Optional[Dict[str, Any]]] = [None] * len(solution_strs)
    for members in groups.values():
        first = infos[members[0]]
        tokens = [infos[i].get("policy_tokens") for i in members]
        rs = score_group(
            [solution_strs[i] for i in members],
            gold_list(first["answers"] if first.get("answers") is not None else ground_truths[members[0]]),
            first.get("kind") or "math",
            policy_tokens=[None if t is None else int(t) for t in tokens],
            tool_calls=[infos[i].get("tool_calls") for i in members],
            tool_factor=bool(first.get("tool_factor")),
            **_options(first),
        )
        for i, r in zip(members, rs):
            out[i] = _verl_result(r)
    return [r for r in out if r is not None]


def _completion_text(completion: Any) -> str:
    if isinstance(completion, str):
        return completion
    return "".join(str(m.get("content") or "") for m in completion if isinstance(m, dict))


def make_trl_reward(
    max_response_tokens: Optional[int] = None, overlong_buffer: Optional[int] = None, tool_factor: bool = False, default_format: str = "tapo"
) -> Any:
    """A TRL reward function. Columns read: answers|ground_truth|answer|solution, kind, format, qa_match,
    policy_tokens (else len(completion_ids) when overlong shaping is on), tool_calls, group (else the prompt)."""

    def reward_func(prompts: Sequence[Any], completions: Sequence[Any], **kwargs: Any) -> List[float]:
        n = len(completions)

        def column(name: str) -> List[Any]:
            values = kwargs.get(name)
            return list(values) if values is not None else [None] * n

        golds = next((column(c) for c in ("answers", "ground_truth", "answer", "solution") if kwargs.get(c) is not None), [None] * n)
        kinds, formats, qa, tokens, calls, group = (column(c) for c in ("kind", "format", "qa_match", "policy_tokens", "tool_calls", "group"))
        ids = column("completion_ids")
        keys = [group[i] if group[i] is not None else json.dumps(prompts[i], sort_keys=True, default=str) for i in range(n)]
        members: Dict[str, List[int]] = {}
        for i, k in enumerate(keys):
            members.setdefault(str(k), []).append(i)
        rewards = [0.0] * n
        for idx in members.values():
            i0 = idx[0]
            info = {"format": formats[i0] or default_format, "qa_match": qa[i0], "max_response_tokens": max_response_tokens, "overlong_buffer": overlong_buffer}
            lengths = [tokens[i] if tokens[i] is not None else (len(ids[i]) if ids[i] is not None else None) for i in idx]
            rs = score_group(
                [_completion_text(completions[i]) for i in idx],
                gold_list(golds[i0]),
                kinds[i0] or "math",
                policy_tokens=lengths,
                tool_calls=[calls[i] for i in idx],
                tool_factor=tool_factor,
                **_options(info),
            )
            for i, r in zip(idx, rs):
                rewards[i] = float(r["total"])
        return rewards

    return reward_func


reward_func = make_trl_reward()
"""TRL reward function with defaults: format and correctness, no overlong shaping, no tool factor."""
