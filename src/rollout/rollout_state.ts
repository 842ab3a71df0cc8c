// One rollout while it runs: its tokens with their origins and log-probs, the
// text of the current turn decoded as tokens arrive, the turn rules (stop at the
// first closing tag, tool-call limit, corrective message, budgets), and the
// finished Rollout record.
//
// The token that completes a closing tag. The generator has no way to take a
// token back out of its KV cache, and a policy token must be one that was
// sampled, with its true log-prob; so the turn ends at the token that completes
// the tag and that token stays, whole. Qwen's vocabulary has tokens like
// ">\n\n" and ">.", so the token may carry characters past the tag (the
// "tail"). The tail stays in the token stream and in `text` (it is what the
// model sees); the turn's text is cut at the tag for parsing; and when the
// forced text that follows starts with the tail ("\n\n<response>" after a tail
// of "\n\n"), that part of the forced text is dropped, so the text reads as the
// canonical format. Nothing is ever re-tokenized: policy tokens are exactly the
// sampled ones, forced tokens exactly the tokenization of the forced text.
import type { SampledToken } from "../generate/types";
import type { QwenTokenizer } from "../tokenizer/tokenizer";
import type { ToolCall, ToolName } from "../protocol/tools";
import type { FinishReason, RolloutEventSink, RolloutKey } from "../protocol/rollout_events";
import { parseCall } from "./formats";
import { type RolloutFormat } from "../protocol/format";
import { blockInner, correctiveCore, findStopTag, parseSegments, type StopMatch } from "./segments";
import type { Segment } from "../protocol/trace";

/** Where a token came from: the chat prompt, the policy's sampling, or the runtime (tool output, corrective message). */
export type TokenOrigin = "prompt" | "policy" | "forced";

/** A finished rollout: the whole sequence (prompt included), one origin and log-prob per token. */
export type Rollout = RolloutKey & {
  /** Every token id, prompt first (length N). */
  tokens: number[];
  /** Origin of each token (length N). */
  origins: TokenOrigin[];
  /** log π of each policy token at sampling (length N); NaN for prompt and forced tokens. */
  logprobs: number[];
  /** The text after the prompt, as the model saw it, without a final end-of-turn token. */
  text: string;
  segments: Segment[];
  toolCalls: { tool: ToolName; ms: number; error?: string }[];
  /** Generation turns (the first, and one after each tool response or corrective message). */
  turns: number;
  finish: FinishReason;
  promptTokens: number;
  policyTokens: number;
  forcedTokens: number;
};

/** What a policy token led to. */
export type TurnOutcome =
  | { kind: "continue" }
  | { kind: "finished" }
  | { kind: "tool"; call: ToolCall; tail: string }
  | { kind: "corrective"; tail: string };

/** Limits one rollout runs under. */
export type RolloutLimits = { maxTurns: number; maxResponseTokens: number; maxContextTokens: number };

/** Tokens decoded together at most while their text ends inside a character (UTF-8 split across tokens). */
const MAX_HELD_TOKENS = 4;

export class RolloutRun {
  readonly tokens: number[];
  readonly origins: TokenOrigin[];
  readonly logprobs: number[];
  readonly segments: Segment[] = [];
  readonly toolCalls: Rollout["toolCalls"] = [];
  private text = "";
  private turnText = "";
  private held: number[] = [];
  private policyTokens = 0;
  private forcedTokens = 0;
  /** Turns that used up the tool budget: tool calls and invalid turns. */
  private actionTurns = 0;
  private turns = 1;
  finish: FinishReason | undefined;

  constructor(
    readonly key: RolloutKey,
    readonly session: string,
    promptIds: number[],
    private readonly format: RolloutFormat,
    private readonly limits: RolloutLimits,
    private readonly tokenizer: QwenTokenizer,
    private readonly emit: RolloutEventSink,
  ) {
    this.tokens = [...promptIds];
    this.origins = promptIds.map(() => "prompt");
    this.logprobs = promptIds.map(() => Number.NaN);
  }

  get promptTokens(): number {
    return this.origins.length - this.policyTokens - this.forcedTokens;
  }

  /** True once the tool-call budget is spent: this turn's tool calls are invalid. */
  get toolsDisabled(): boolean {
    return this.actionTurns >= this.limits.maxTurns;
  }

  /** Records a sampled token and applies the turn rules. */
  addSampled({ token, logprob }: SampledToken): TurnOutcome {
    this.tokens.push(token);
    this.origins.push("policy");
    this.logprobs.push(logprob);
    this.policyTokens++;
    if (this.tokenizer.stopTokenIds.includes(token)) {
      this.flushHeld(1);
      return this.end("eos");
    }
    this.held.push(token);
    const piece = this.tokenizer.decode(this.held);
    if (!(piece.endsWith("\uFFFD") && this.held.length < MAX_HELD_TOKENS)) {
      const from = this.turnText.length;
      this.flushHeld(0, piece);
      const match = findStopTag(this.turnText, from, this.format);
      if (match !== undefined) return this.endTurn(match);
    }
    return this.overBudget() ? this.end("length") : { kind: "continue" };
  }

  /** True when the policy-token or context budget is spent. */
  overBudget(extra = 0): boolean {
    return this.policyTokens >= this.limits.maxResponseTokens || this.tokens.length + extra >= this.limits.maxContextTokens;
  }

  /** Records forced tokens (`text` tokenized) and starts a new turn. */
  addForced(ids: number[], text: string, segment: Segment): void {
    for (const id of ids) {
      this.tokens.push(id);
      this.origins.push("forced");
      this.logprobs.push(Number.NaN);
    }
    this.forcedTokens += ids.length;
    this.text += text;
    this.segments.push(segment);
    this.emit({ ...this.key, type: "tokens", origin: "forced", text, count: ids.length });
    this.turnText = "";
    this.turns++;
  }

  /** Records a tool call's time and error. */
  recordTool(tool: ToolName, ms: number, error: string | undefined): void {
    this.toolCalls.push(error === undefined ? { tool, ms } : { tool, ms, error });
  }

  /** Ends the rollout (when not ended already), parsing what is left of the turn. */
  end(reason: FinishReason): TurnOutcome {
    if (this.finish !== undefined) return { kind: "finished" };
    this.flushHeld(0);
    if (this.turnText.length > 0) this.pushPolicySegments(this.turnText);
    this.turnText = "";
    this.finish = reason;
    this.emit({
      ...this.key,
      type: "finish",
      finish: reason,
      policyTokens: this.policyTokens,
      forcedTokens: this.forcedTokens,
      turns: this.turns,
      toolCalls: this.toolCalls.length,
    });
    return { kind: "finished" };
  }

  /** The finished record (call after `end`). */
  result(): Rollout {
    return {
      ...this.key,
      tokens: this.tokens,
      origins: this.origins,
      logprobs: this.logprobs,
      text: this.text,
      segments: this.segments,
      toolCalls: this.toolCalls,
      turns: this.turns,
      finish: this.finish ?? "length",
      promptTokens: this.promptTokens,
      policyTokens: this.policyTokens,
      forcedTokens: this.forcedTokens,
    };
  }

  /** The corrective message's segment. */
  correctiveSegment(): Segment {
    return { kind: "response", tool: "none", text: correctiveCore(this.format) };
  }

  /** Appends held tokens' text (`piece` when decoded already) to the turn; `extra` more tokens count in the event. */
  private flushHeld(extra: number, piece?: string): void {
    if (this.held.length === 0 && extra === 0) return;
    const text = piece ?? (this.held.length > 0 ? this.tokenizer.decode(this.held) : "");
    const count = this.held.length + extra;
    this.held = [];
    this.turnText += text;
    this.text += text;
    this.emit({ ...this.key, type: "tokens", origin: "policy", text, count });
  }

  /** Policy text becomes segments; any response block the policy wrote itself is plain text. */
  private pushPolicySegments(text: string): void {
    for (const s of parseSegments(text, this.format)) {
      this.segments.push(s.kind === "response" ? { kind: "text", text: s.text } : s);
    }
  }

  /** Applies the rules to a turn that reached a closing tag. */
  private endTurn(match: StopMatch): TurnOutcome {
    const cut = this.turnText.slice(0, match.end);
    const tail = this.turnText.slice(match.end);
    this.turnText = cut;
    const answered = match.kind === "answer" && blockInner(cut, this.format.answer.open, match.start) !== undefined;
    if (answered) return this.end("answer");
    if (this.toolsDisabled) return this.end("max_turns");
    if (this.overBudget()) return this.end("length");
    this.pushPolicySegments(cut);
    this.turnText = "";
    this.actionTurns++;
    if (match.kind === "call") {
      const inner = blockInner(cut, match.tag.open, match.start);
      const call = inner === undefined ? undefined : parseCall(this.format, match.tag, inner);
      if (call !== undefined && "tool" in call) return { kind: "tool", call, tail };
    }
    return { kind: "corrective", tail };
  }
}
