// Test doubles for the rollout loop (no GPU): a SequenceGenerator that replays
// scripted turns token by token as a policy would, keeping each sequence's
// tokens as a KV cache would, and a ToolRunner that answers searches from a
// small table and Python calls with a fixed text, after delays.
import type { SampledToken, SamplingParams, SequenceGenerator, SequenceHandle } from "../generate/types";
import type { QwenTokenizer } from "../tokenizer/tokenizer";
import type { ToolCall, ToolResult, ToolRunner } from "../protocol/tools";
import { mulberry32 } from "../util/random";

/** The turns one rollout's policy writes: turn k is sampled after the k-th forced append. */
export type PolicyScript = string[];

type ScriptedSequence = { id: number; length: number; tokens: number[]; turn: number; queue: number[]; script: PolicyScript; released: boolean };

/** One generator.step call as the generator saw it. */
export type StepRecord = { ids: number[]; sampling: SamplingParams; toolsPending: number };

export class ScriptedGenerator implements SequenceGenerator {
  readonly sequences: ScriptedSequence[] = [];
  readonly steps: StepRecord[] = [];
  /** Every token sampled per sequence id, with its log-prob. */
  readonly sampled = new Map<number, SampledToken[]>();
  /** Most sequences alive at once. */
  maxAlive = 0;
  /** Cache slots, like a GpuGenerator's maxSequences; start() beyond them throws (unbounded when absent). */
  slots?: number;
  private readonly rand: () => number;
  private readonly seen = new Map<string, number>();
  private busy = false;

  /**
   * `scriptFor(promptText, nth)` gives the script of the nth sequence started with that prompt;
   * log-probs are drawn from `seed`; `pending()` is sampled into each step record (e.g. tools in flight).
   */
  constructor(
    private readonly tokenizer: QwenTokenizer,
    private readonly scriptFor: (promptText: string, nth: number) => PolicyScript,
    seed: number,
    private readonly pending: () => number = () => 0,
  ) {
    this.rand = mulberry32(seed);
  }

  private enter(): void {
    if (this.busy) throw new Error("the generator was called while another call was running");
    this.busy = true;
  }

  get freeSequences(): number | undefined {
    return this.slots === undefined ? undefined : this.slots - this.sequences.filter((s) => !s.released).length;
  }

  async start(prompt: number[]): Promise<SequenceHandle> {
    if (this.freeSequences === 0) throw new Error(`start: all ${this.slots} cache slots are taken`);
    this.enter();
    await Promise.resolve();
    const text = this.tokenizer.decode(prompt);
    const nth = this.seen.get(text) ?? 0;
    this.seen.set(text, nth + 1);
    const script = this.scriptFor(text, nth);
    const seq: ScriptedSequence = { id: this.sequences.length, length: prompt.length, tokens: [...prompt], turn: 0, queue: this.encodeTurn(script, 0), script, released: false };
    this.sequences.push(seq);
    this.sampled.set(seq.id, []);
    this.maxAlive = Math.max(this.maxAlive, this.sequences.filter((s) => !s.released).length);
    this.busy = false;
    return seq;
  }

  async append(handle: SequenceHandle, forced: number[]): Promise<void> {
    this.enter();
    await Promise.resolve();
    const seq = this.live(handle);
    seq.tokens.push(...forced);
    seq.length = seq.tokens.length;
    seq.turn++;
    seq.queue = this.encodeTurn(seq.script, seq.turn);
    this.busy = false;
  }

  async step(handles: SequenceHandle[], sampling: SamplingParams): Promise<SampledToken[]> {
    this.enter();
    this.steps.push({ ids: handles.map((h) => h.id), sampling, toolsPending: this.pending() });
    await Promise.resolve();
    const out = handles.map((h) => {
      const seq = this.live(h);
      // A script that runs out ends the turn the way a chat model does.
      const token = seq.queue.shift() ?? this.tokenizer.specialTokens.get("<|im_end|>")!;
      const sampled = { token, logprob: -5 * this.rand() };
      seq.tokens.push(token);
      seq.length = seq.tokens.length;
      this.sampled.get(seq.id)!.push(sampled);
      return sampled;
    });
    this.busy = false;
    return out;
  }

  release(handle: SequenceHandle): void {
    this.live(handle).released = true;
  }

  /** The tokens a script's turn is sampled as. */
  encodeTurn(script: PolicyScript, turn: number): number[] {
    return this.tokenizer.encode(script[turn] ?? "", { addSpecialTokens: false });
  }

  private live(handle: SequenceHandle): ScriptedSequence {
    const seq = this.sequences[handle.id];
    if (seq === undefined || seq.released) throw new Error(`sequence ${handle.id} is not live`);
    return seq;
  }
}

/** Search answers from `table` (query → text, else a fixed miss text); Python prints `pythonOutput`. */
export class TableToolRunner implements ToolRunner {
  pending = 0;
  readonly calls: { call: ToolCall; session: string }[] = [];
  readonly ended: string[] = [];

  constructor(
    private readonly table: Record<string, string>,
    private readonly opts: { pythonOutput: string; pythonDelayMs?: number; searchDelayMs?: number },
  ) {}

  async run(call: ToolCall, session: string): Promise<ToolResult> {
    this.calls.push({ call, session });
    this.pending++;
    const delay = call.tool === "python" ? (this.opts.pythonDelayMs ?? 0) : (this.opts.searchDelayMs ?? 0);
    await new Promise((resolve) => setTimeout(resolve, delay));
    this.pending--;
    if (call.tool === "python") return { response: this.opts.pythonOutput, ms: delay };
    const hit = this.table[call.text];
    return hit !== undefined ? { response: hit, ms: delay } : { response: "No relevant information found.", error: "no result", ms: delay };
  }

  endSession(session: string): void {
    this.ended.push(session);
  }
}
