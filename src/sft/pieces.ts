// A rollout written out for supervised training: pieces of text marked policy
// (what the model writes: think, tool calls, answer) or forced (the tool
// responses the runtime inserts), in a rollout format's tags, and their token
// sequence as the rollout loop would produce it. Used by the tiny model's
// demonstrations and by SFT on traces (trace_examples.ts).
import { renderPrompt, wrapResponse } from "../rollout/formats";
import { type RolloutFormat } from "../protocol/format";
import type { TokenOrigin } from "../rollout/rollout_state";
import type { QwenTokenizer } from "../tokenizer/tokenizer";
import type { ToolName } from "../protocol/tools";
import type { SftExample } from "./sft_weights";

/** A stretch of text and who writes it (for a tool's response, which tool). */
export type SftPiece = { origin: "policy" | "forced"; text: string; tool?: ToolName };

/** Writes pieces in a format: blocks with their tags, tool output wrapped as the runtime wraps it. */
export class PieceWriter {
  readonly pieces: SftPiece[] = [];
  readonly calls: ToolName[] = [];
  private turn = "";

  constructor(private readonly format: RolloutFormat) {}

  think(text: string): this {
    this.turn += this.format.think.open + text + this.format.think.close;
    return this;
  }

  /** Text outside any block, as the model wrote it. */
  text(text: string): this {
    this.turn += text;
    return this;
  }

  call(tool: ToolName, text: string, response: string): this {
    const tag = this.format.calls.find((c) => c.tool === tool);
    if (!tag) throw new Error(`the ${this.format.name} format has no plain tag for the ${tool} tool`);
    this.pieces.push({ origin: "policy", text: this.turn + tag.open + text + tag.close });
    this.pieces.push({ origin: "forced", text: wrapResponse(this.format, response), tool });
    this.calls.push(tool);
    this.turn = "";
    return this;
  }

  answer(text: string): SftPiece[] {
    this.pieces.push({ origin: "policy", text: this.turn + this.format.answer.open + text + this.format.answer.close });
    this.turn = "";
    return this.pieces;
  }
}

/**
 * The pieces as the token sequence a rollout would produce: the rendered prompt (origin "prompt"),
 * then each piece tokenized on its own, as the rollout loop samples policy text and appends forced text.
 * With `responseWeights`, the responses of those tools are also learned from, at that weight
 * (SftExample.forcedWeights); by default every forced token is masked.
 */
export function piecesExample(
  question: string,
  pieces: readonly SftPiece[],
  tokenizer: QwenTokenizer,
  format: RolloutFormat,
  maxTurns: number,
  responseWeights?: Partial<Record<ToolName, number>>,
): SftExample {
  const prompt = renderPrompt(format, question, tokenizer, maxTurns).ids;
  const tokens = [...prompt];
  const origins: TokenOrigin[] = prompt.map(() => "prompt");
  const weights: number[] = prompt.map(() => 0);
  for (const piece of pieces) {
    const ids = tokenizer.encode(piece.text, { addSpecialTokens: false });
    const weight = piece.origin === "forced" && piece.tool ? (responseWeights?.[piece.tool] ?? 0) : 0;
    tokens.push(...ids);
    for (let i = 0; i < ids.length; i++) {
      origins.push(piece.origin);
      weights.push(weight);
    }
  }
  return responseWeights && weights.some((w) => w > 0) ? { tokens, origins, forcedWeights: weights } : { tokens, origins };
}
