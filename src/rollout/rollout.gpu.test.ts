// Checks the rollout loop on the real GPU generator (GpuGenerator) with a tiny random model and a tiny byte-level ChatML tokenizer: every rollout finishes, forced corrective text lands where the masks say, the sampled log-probs match the training forward's log-probs of the whole sequences (so forced tokens went into the KV cache at the right positions), and a rerun repeats exactly. Needs WebGPU (headless Chromium).
import { describe, expect, it } from "vitest";
import { GpuGenerator } from "../generate/generator";
import { gpuChecked, testDevice } from "../gpu/testing";
import { ModelRuntime } from "../model/runtime";
import { tinyConfig } from "../model/testing";
import { randomWeights } from "../model/weights";
import { tinyByteLevelTokenizerJson } from "../tokenizer/testing";
import { QwenTokenizer } from "../tokenizer/tokenizer";
import { freshSeed } from "../util/random";
import { getFormat } from "./formats";
import { type RolloutFormat } from "../protocol/format";
import { runRollouts, type Rollout, type RolloutConfig } from "./rollout";
import { TableToolRunner } from "./testing";

/** Byte-level BPE (ids 0–256), <|endoftext|> 257, plus <|im_start|> 258 and <|im_end|> 259, with a ChatML template. */
function chatmlTinyTokenizer(): QwenTokenizer {
  const json = tinyByteLevelTokenizerJson() as { added_tokens: object[] };
  const special = (id: number, content: string) => ({ id, content, special: true, normalized: false, lstrip: false, rstrip: false, single_word: false });
  json.added_tokens.push(special(258, "<|im_start|>"), special(259, "<|im_end|>"));
  const template =
    "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";
  return QwenTokenizer.fromFiles(json, { eos_token: "<|im_end|>", chat_template: template });
}

/**
 * TAPO's format with a short prompt and every lowercase letter as a closing tag with no opening tag:
 * a random model ends a turn every ten tokens or so, always invalidly, so corrective messages are
 * appended as forced tokens between decode steps while other sequences keep decoding.
 */
function randomModelFormat(): RolloutFormat {
  const base = getFormat("tapo");
  const letters = Array.from({ length: 26 }, (_, i) => String.fromCharCode(97 + i));
  return { ...base, system: ["Answer."], calls: letters.map((c) => ({ open: "", close: c, tool: "search" as const })), corrective: "\n!!\n" };
}

describe("runRollouts on GpuGenerator", () => {
  it("runs a batch whose sampled log-probs match the training forward over the finished sequences", async () => {
    const seed = freshSeed();
    const tokenizer = chatmlTinyTokenizer();
    expect(tokenizer.vocabSize).toBe(260);
    const device = await testDevice();
    const rt = ModelRuntime.create(device, randomWeights(tinyConfig({ vocab: 260, maxPositions: 256, tieEmbeddings: false }), seed, "f32"), { mode: { kind: "frozen" } });
    const generator = GpuGenerator.fromRuntime(rt, { maxSequences: 4, maxLength: 256 });
    const tools = new TableToolRunner({}, { pythonOutput: "" });
    const format = randomModelFormat();
    const config: RolloutConfig = {
      format,
      groupSize: 2,
      maxTurns: 3,
      maxResponseTokens: 40,
      toolResponseTokens: 64,
      sampling: { temperature: 1, topP: 1, topK: 0, seed },
    };
    const questions = ["What is 2+2?", "Name a colour."];
    const once = (gen: GpuGenerator) => gpuChecked(device, () => runRollouts(questions, { generator: gen, tools, tokenizer }, config));
    const rollouts: Rollout[] = await once(generator);

    expect(generator.liveSequences).toBe(0);
    const corrective = tokenizer.encode(format.corrective, { addSpecialTokens: false });
    let forcedRuns = 0;
    for (const r of rollouts) {
      const msg = `seed ${seed}, rollout ${r.questionIndex}/${r.sampleIndex}`;
      expect(["length", "eos", "max_turns"], msg).toContain(r.finish);
      expect(r.tokens.length, msg).toBe(r.promptTokens + r.policyTokens + r.forcedTokens);
      expect(r.policyTokens, msg).toBeLessThanOrEqual(40);
      expect(r.tokens.every((t) => t >= 0 && t < 260), msg).toBe(true);
      // Forced tokens come only as whole corrective messages.
      for (let i = r.promptTokens; i < r.tokens.length; i++) {
        if (r.origins[i] === "forced" && r.origins[i - 1] !== "forced") {
          expect(r.tokens.slice(i, i + corrective.length), msg).toEqual(corrective);
          forcedRuns++;
        }
      }
    }
    expect(forcedRuns, `seed ${seed}`).toBeGreaterThan(0);

    const { logp } = await gpuChecked(device, () => rt.logprobs(rollouts.map((r) => r.tokens)));
    rollouts.forEach((r, k) => {
      r.origins.forEach((o, t) => {
        if (o !== "policy") return;
        const want = logp[k]![t - 1]!;
        expect(Math.abs(r.logprobs[t]! - want), `seed ${seed}, rollout ${k}, token ${t}: ${r.logprobs[t]} vs ${want}`).toBeLessThan(2e-3 + 1e-3 * Math.abs(want));
      });
    });

    // A rerun repeats on a fresh generator (sequence ids, which key the random stream, start at 0 again;
    // a reused generator keeps counting them, so its next batch draws new numbers).
    const fresh = GpuGenerator.fromRuntime(rt, { maxSequences: 4, maxLength: 256 });
    const again = await once(fresh);
    expect(again.map((r) => r.tokens), `seed ${seed}`).toEqual(rollouts.map((r) => r.tokens));
    fresh.destroy();
    generator.destroy();
    rt.destroy();
  });
});
