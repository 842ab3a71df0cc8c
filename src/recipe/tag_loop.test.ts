// The verl recipe's tag-format rollout loop (tapo_agent_loop.py) with a fake tokenizer and a scripted rollout
// server, under python3: turns cut at the first closing tag, tool output forced with mask 0, corrective turns,
// the tool-call limit, and the reward module scoring the loop's text. Needs python3 (skipped without); no GPU.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runRecipe, REWARD_MODULE } from "./recipe_cli";

const hasPython = spawnSync("python3", ["--version"]).status === 0;
const root = mkdtempSync(join(tmpdir(), "tapo-tag-loop-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const SCRIPT = String.raw`
import asyncio, json
import tapo_agent_loop as L

vocab, index = [], {}
def tok(s):
    if s not in index:
        index[s] = len(vocab); vocab.append(s)
    return index[s]
EOS = tok("<|im_end|>")
decode = lambda ids: "".join(vocab[i] for i in ids)
encode = lambda text: [tok(c) for c in text]

def server(turns, logprobs=True):
    turns = list(turns)
    async def generate(ids):
        chunks = turns.pop(0)
        ids = [tok(c) for c in chunks]
        return ids, ([-0.5] * len(ids) if logprobs else None)
    return generate

spec = L.load_spec()
tools = L.make_tools(spec)
def run(turns, logprobs=True, **over):
    s = dict(spec, **over)
    r = asyncio.run(L.run_rollout(s, tools, [tok("PROMPT")], server(turns, logprobs), encode, decode, [EOS], 100000))
    policy = "".join(vocab[i] for i, m in zip(r.ids, r.mask) if m == 1)
    return {"text": decode(r.ids), "policy": policy, "finish": r.finish, "turns": r.turns, "actions": r.action_turns,
            "policy_tokens": r.policy_tokens, "sampled_logprobs": r.sampled_logprobs, "masks": len(r.mask) == len(r.ids) == len(r.logprobs)}

import tapo_reward
out = {}
out["search"] = run([["<think>", "find it", "</think>", "<search>", "Ceiclos capital", "</search>\n\n", "junk after"],
                     ["<think>", "ok", "</think>", "<answer>", "Quiavacle", "</answer>", "<|im_end|>", "ignored"]])
out["search"]["reward"] = tapo_reward.compute_score("x", out["search"]["text"], ["Quiavacle"], {"kind": "qa", "format": "tapo"})
out["corrective"] = run([["<search>", "</search>"], ["<answer>", "4", "</answer>"]], logprobs=False)
out["limit"] = run([["<code>", "print(6*7)", "</code>"], ["<search>", "more", "</search>"]], max_turns=1)
out["eos"] = run([["<think>", "hm", "</think>", "<|im_end|>"]])
out["length"] = run([["<think>", "a", "b", "c", "d"]], max_response_tokens=3)
print(json.dumps(out))
`;

describe.skipIf(!hasPython)("tapo_agent_loop.py (verl, tag formats)", () => {
  it("runs the studio's turn rules and its text scores as the reward expects", { timeout: 60_000 }, () => {
    const out = join(root, "recipe");
    const rewardModule = existsSync(REWARD_MODULE) ? REWARD_MODULE : join(root, "placeholder.py");
    if (!existsSync(REWARD_MODULE)) writeFileSync(rewardModule, "def compute_score(*a, **k):\n    return {'score': 1.0, 'acc': 1.0}\n");
    const inputs = { engine: "verl", task: "tiny", source: { kind: "builtin", seed: 1, level: "tiny" }, config: {}, format: undefined, lora: undefined, model: undefined, adapter: undefined, out } as const;
    runRecipe(inputs, () => {}, { rewardModule, corpusFile: join(process.cwd(), "public/corpus/tapo-world.jsonl") });
    writeFileSync(join(out, "check_loop.py"), SCRIPT);
    const r = spawnSync("python3", ["check_loop.py"], { cwd: out, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout) as Record<string, Record<string, unknown>>;

    const s = res.search!;
    expect(s.finish).toBe("answer");
    // Cut after </search>\n\n (the tail "\n\n" starts the wrapper, so it is not repeated), response forced, answer kept.
    expect(s.text).toMatch(/^<think>find it<\/think><search>Ceiclos capital<\/search>\n\n<response>Doc 1: \(Title: Ceiclos\) [^]*<\/response>\n\n<think>ok<\/think><answer>Quiavacle<\/answer>$/);
    expect(s.policy).toBe("<think>find it</think><search>Ceiclos capital</search>\n\n<think>ok</think><answer>Quiavacle</answer>");
    expect(s.actions).toBe(1);
    expect(s.masks).toBe(true);
    expect(s.sampled_logprobs).toBe(true);
    if (existsSync(REWARD_MODULE)) expect(s.reward).toMatchObject({ score: 1, acc: 1, format: 1 });

    expect(res.corrective!.text).toContain("<search></search>\n\nMy previous action is invalid");
    expect(res.corrective!.finish).toBe("answer");
    expect(res.corrective!.sampled_logprobs).toBe(false);

    expect(res.limit!.text).toContain("<code>print(6*7)</code>\n\n<response>42\n</response>\n\n<search>more</search>");
    expect(res.limit!.finish).toBe("max_turns");

    expect(res.eos!.finish).toBe("eos");
    expect(res.length!).toMatchObject({ finish: "length", policy_tokens: 3 });
  });
});
