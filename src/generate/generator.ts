// GPU generation behind the SequenceGenerator contract (./types.ts): a KV cache per layer,
// prefill of prompts and forced tokens as rows with explicit (slot, position), one-row-per-
// sequence decode steps, and sampling on the GPU so only (token, logprob) per row is read back.
//
// Bookkeeping: a sequence of length n holds tokens 0..n-2 in its cache slot; its last token is
// "pending" (known, not yet run). A decode step runs every listed sequence's pending token (one
// row each, at position n-1), which writes its K/V into the cache and yields the logits of the
// next token; the sampler draws it and it becomes the new pending token. Prefill (start, append)
// runs all new tokens but the last, so it needs no logits at all. Running a pending token twice
// (nextLogits then step) rewrites the same cache row with the same values.
//
// Every forward pass reads the model's current buffers: LoRA adapters (and an optimizer's updates
// to them) apply to generation without copying anything.
//
// Sampling (shaders/sample_forward.wgsl): the random number of a draw is a hash of (seed,
// sequence id, position of the new token); ids count up from 0 in start order over the generator's
// life, so the same calls on a fresh generator with the same seed give the same tokens, and a
// reused generator's next batch draws new numbers even with the same seed. logprob = log softmax(z / T)[token] over the whole
// vocabulary, before the top-k / top-p cuts; at temperature 0 (greedy) it is log softmax(z)[token].
//
// A benchmark would call: GpuGenerator.create (or fromRuntime), startMany / start, step in a loop,
// sync() to time prefill alone, release, destroy; `memory` gives the planned bytes.
import { readF32, runDispatches } from "../gpu/kernel";
import { packSampleRows, SAMPLE_ROW_WORDS, type SampleRow } from "../gpu/ops/sample";
import type { GpuModel } from "../model/gpu_model";
import type { MemoryEstimate } from "../model/memory";
import type { ModelRuntime } from "../model/runtime";
import { planGeneratorMemory, type GeneratorShape } from "./memory";
import { allocateGenerationBuffers, buildRowProgram, type GenerationBuffers, type RowProgram } from "./program";
import type { SampledToken, SamplingParams, SequenceGenerator, SequenceHandle } from "./types";

export type GeneratorOptions = {
  /** Sequences that can live in the cache at once. */
  maxSequences: number;
  /** Tokens per sequence, prompt and generated tokens together. */
  maxLength: number;
  /** Rows per forward pass; longer prefills go in chunks (default max(maxSequences, 256)). */
  maxRows?: number;
  /** GPU memory the weights and the generator may use together, bytes (default 4 GiB). */
  budget?: number;
};

const DEFAULT_BUDGET = 4 * 2 ** 30;
/** Up to this many rows every row count gets its own program; above, row counts round up to a power of two. */
const EXACT_ROWS = 8;

/** A sequence in the cache; the handle given to callers (its length grows as it runs). */
class Sequence implements SequenceHandle {
  pending: number;
  busy = false;
  released = false;
  constructor(
    readonly id: number,
    readonly slot: number,
    public length: number,
    pending: number,
  ) {
    this.pending = pending;
  }
}

type Row = { slot: number; pos: number; token: number };

export class GpuGenerator implements SequenceGenerator {
  private readonly programs = new Map<number, RowProgram>();
  private readonly freeSlots: number[];
  private readonly live = new Map<number, Sequence>();
  private nextId = 0;
  private readonly ids: Uint32Array;
  private readonly rowpos: Uint32Array;
  private readonly samp: Uint32Array;

  private constructor(
    readonly device: GPUDevice,
    readonly model: GpuModel,
    readonly shape: GeneratorShape,
    readonly memory: MemoryEstimate,
    private readonly bufs: GenerationBuffers,
  ) {
    this.freeSlots = Array.from({ length: shape.maxSequences }, (_, i) => shape.maxSequences - 1 - i);
    this.ids = new Uint32Array(shape.maxRows);
    this.rowpos = new Uint32Array(2 * shape.maxRows);
    this.samp = new Uint32Array(SAMPLE_ROW_WORDS * shape.maxSequences);
  }

  /** Plans the memory (throws GeneratorTooLargeError with the figures), then allocates the cache and buffers once. */
  static create(device: GPUDevice, model: GpuModel, options: GeneratorOptions): GpuGenerator {
    const shape: GeneratorShape = {
      maxSequences: options.maxSequences,
      maxLength: options.maxLength,
      maxRows: options.maxRows ?? Math.max(options.maxSequences, 256),
    };
    if (shape.maxRows < shape.maxSequences) {
      throw new Error(`generator: maxRows (${shape.maxRows}) must be at least maxSequences (${shape.maxSequences}): a decode step is one row per sequence`);
    }
    const memory = planGeneratorMemory(model.config, model.format, model.mode, shape, {
      maxBufferSize: device.limits.maxBufferSize,
      maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
      budget: options.budget ?? DEFAULT_BUDGET,
    });
    return new GpuGenerator(device, model, shape, memory, allocateGenerationBuffers(device, model, shape));
  }

  /** A generator over a runtime's model (frozen, LoRA or full): generation sees its current parameters. */
  static fromRuntime(runtime: ModelRuntime, options: GeneratorOptions): GpuGenerator {
    return GpuGenerator.create(runtime.device, runtime.model, options);
  }

  /** Sequences in the cache now. */
  get liveSequences(): number {
    return this.live.size;
  }

  /** Cache slots free now. */
  get freeSequences(): number {
    return this.freeSlots.length;
  }

  async start(prompt: number[]): Promise<SequenceHandle> {
    const [seq] = await this.startMany([prompt]);
    return seq!;
  }

  /** Prefills several prompts in one pass of rows (chunked by maxRows); handles in prompt order. */
  async startMany(prompts: number[][]): Promise<SequenceHandle[]> {
    if (prompts.length > this.freeSlots.length) {
      throw new Error(`generator: ${prompts.length} prompt(s) but only ${this.freeSlots.length} free slot(s) of ${this.shape.maxSequences}; release finished sequences first`);
    }
    prompts.forEach((p, i) => {
      if (p.length === 0) throw new Error(`generator: prompt ${i} is empty`);
      if (p.length > this.shape.maxLength) throw new Error(`generator: prompt ${i} has ${p.length} tokens, more than maxLength ${this.shape.maxLength}`);
      this.checkTokens(p, `prompt ${i}`);
    });
    const seqs = prompts.map((p) => {
      const seq = new Sequence(this.nextId++, this.freeSlots.pop()!, p.length, p[p.length - 1]!);
      this.live.set(seq.id, seq);
      return seq;
    });
    const rows: Row[] = [];
    seqs.forEach((seq, i) => prompts[i]!.slice(0, -1).forEach((token, pos) => rows.push({ slot: seq.slot, pos, token })));
    this.runRows(rows);
    return seqs;
  }

  async append(handle: SequenceHandle, forced: number[]): Promise<void> {
    const seq = this.own(handle, "append");
    if (forced.length === 0) return;
    if (seq.length + forced.length > this.shape.maxLength) {
      throw new Error(`generator: sequence ${seq.id} holds ${seq.length} tokens; ${forced.length} more exceed maxLength ${this.shape.maxLength}`);
    }
    this.checkTokens(forced, `forced tokens of sequence ${seq.id}`);
    const tokens = [seq.pending, ...forced.slice(0, -1)];
    this.runRows(tokens.map((token, i) => ({ slot: seq.slot, pos: seq.length - 1 + i, token })));
    seq.length += forced.length;
    seq.pending = forced[forced.length - 1]!;
  }

  async step(handles: SequenceHandle[], sampling: SamplingParams): Promise<SampledToken[]> {
    if (handles.length === 0) return [];
    const seqs = this.decodeRows(handles, "step");
    const rows: SampleRow[] = seqs.map((s) => ({ ...sampling, sequence: s.id, position: s.length }));
    this.samp.fill(0);
    packSampleRows(rows, this.samp); // validates the sampling parameters before any GPU work
    const program = this.prepareDecode(seqs);
    this.device.queue.writeBuffer(this.bufs.samp, 0, this.samp, 0, program.M * SAMPLE_ROW_WORDS);
    runDispatches(this.device, [...program.layers, ...program.logits, ...program.sample], "generate-step");
    for (const s of seqs) s.busy = true;
    let f: Float32Array;
    try {
      f = await readF32(this.device, this.bufs.sampled, 2 * seqs.length);
    } finally {
      for (const s of seqs) s.busy = false;
    }
    const words = new Uint32Array(f.buffer, f.byteOffset, f.length);
    return seqs.map((s, i) => {
      const token = words[2 * i]!;
      s.pending = token;
      s.length += 1;
      return { token, logprob: f[2 * i + 1]! };
    });
  }

  /**
   * The logits of the next token of each sequence, (V) f32 each, without changing any sequence
   * (tests, scoring). Costs one decode pass and reads M·V floats back.
   */
  async nextLogits(handles: SequenceHandle[]): Promise<Float32Array[]> {
    if (handles.length === 0) return [];
    const seqs = this.decodeRows(handles, "nextLogits");
    const program = this.prepareDecode(seqs);
    runDispatches(this.device, [...program.layers, ...program.logits], "generate-logits");
    const V = this.model.config.vocab;
    const all = await readF32(this.device, this.bufs.logits, seqs.length * V);
    return seqs.map((_, i) => all.slice(i * V, (i + 1) * V));
  }

  release(handle: SequenceHandle): void {
    const seq = this.own(handle, "release");
    seq.released = true;
    this.live.delete(seq.id);
    this.freeSlots.push(seq.slot);
    this.freeSlots.sort((a, b) => b - a); // lowest slot reused first: runs repeat exactly
  }

  /**
   * Numbers the next sequences from 0 again, so a batch sampled with a given seed draws the same
   * tokens in a fresh generator and in one that ran other batches before (a resumed training run
   * repeats its steps exactly). Callers must give each batch its own seed. Needs no live sequence.
   */
  restartIds(): void {
    if (this.live.size > 0) throw new Error(`generator: restartIds with ${this.live.size} live sequence(s); release them first`);
    this.nextId = 0;
  }

  /** Resolves when the GPU has finished everything submitted so far (to time prefill). */
  async sync(): Promise<void> {
    await this.device.queue.onSubmittedWorkDone();
  }

  /** Frees the cache and buffers; the generator cannot be used afterwards. */
  destroy(): void {
    this.bufs.destroy();
    this.programs.clear();
    this.live.clear();
  }

  private own(handle: SequenceHandle, op: string): Sequence {
    const seq = this.live.get(handle.id);
    if (!seq || seq !== handle) throw new Error(`generator: ${op}: sequence ${handle.id} is not live in this generator (released, or from another one)`);
    if (seq.busy) throw new Error(`generator: ${op}: sequence ${seq.id} is in a step that has not finished; await it first`);
    return seq;
  }

  private checkTokens(tokens: number[], what: string): void {
    const V = this.model.config.vocab;
    const bad = tokens.findIndex((t) => !Number.isInteger(t) || t < 0 || t >= V);
    if (bad >= 0) throw new Error(`generator: ${what} has token id ${tokens[bad]} at ${bad}, outside the vocabulary (0..${V - 1})`);
  }

  private decodeRows(handles: SequenceHandle[], op: string): Sequence[] {
    if (handles.length > this.shape.maxSequences) throw new Error(`generator: ${op} of ${handles.length} sequences, more than maxSequences ${this.shape.maxSequences}`);
    const seqs = handles.map((h) => this.own(h, op));
    if (new Set(seqs).size !== seqs.length) throw new Error(`generator: ${op} lists a sequence twice`);
    for (const s of seqs) {
      if (s.length >= this.shape.maxLength) throw new Error(`generator: ${op}: sequence ${s.id} is full (${s.length} = maxLength tokens); release it`);
    }
    return seqs;
  }

  /** Writes the pending-token rows of `seqs` and returns the program to run them (padded rows at the scratch slot). */
  private prepareDecode(seqs: Sequence[]): RowProgram {
    const program = this.program(this.bucket(seqs.length, this.shape.maxSequences));
    this.writeRows(seqs.map((s) => ({ slot: s.slot, pos: s.length - 1, token: s.pending })), program.M);
    return program;
  }

  /** Runs rows through the layer stack in chunks of maxRows, in order (fills the cache). */
  private runRows(rows: Row[]): void {
    for (let at = 0; at < rows.length; at += this.shape.maxRows) {
      const chunk = rows.slice(at, at + this.shape.maxRows);
      const program = this.program(this.bucket(chunk.length, this.shape.maxRows));
      this.writeRows(chunk, program.M);
      runDispatches(this.device, program.layers, "generate-prefill");
    }
  }

  private writeRows(rows: Row[], M: number): void {
    const scratch = this.shape.maxSequences; // the extra slot: padding rows write and read only there
    for (let i = 0; i < M; i++) {
      const r = rows[i] ?? { slot: scratch, pos: 0, token: 0 };
      this.ids[i] = r.token;
      this.rowpos[2 * i] = r.slot;
      this.rowpos[2 * i + 1] = r.pos;
    }
    const q = this.device.queue;
    q.writeBuffer(this.bufs.ids, 0, this.ids, 0, M);
    q.writeBuffer(this.bufs.rowpos, 0, this.rowpos, 0, 2 * M);
  }

  private bucket(n: number, cap: number): number {
    if (n <= EXACT_ROWS) return n;
    return Math.min(cap, 2 ** Math.ceil(Math.log2(n)));
  }

  private program(M: number): RowProgram {
    let p = this.programs.get(M);
    if (!p) {
      p = buildRowProgram(this.device, this.model, this.bufs, M);
      this.programs.set(M, p);
    }
    return p;
  }
}
