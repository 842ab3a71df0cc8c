// Pieces every byte-level BPE tokenizer.json shares (Qwen2's, the GGUF rebuild's, the tiny model's): GPT-2's byte
// alphabet and the "model" object of a BPE vocabulary with its merges, in the layout @huggingface/tokenizers reads.

/**
 * GPT-2's byte-level alphabet: bytes 33–126, 161–172 and 174–255 stand for themselves; the others,
 * in increasing order, for U+0100, U+0101, …. Entry b is the character of byte b.
 */
export function byteLevelAlphabet(): string[] {
  const map: string[] = [];
  let next = 256;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    map[b] = String.fromCodePoint(printable ? b : next++);
  }
  return map;
}

/** tokenizer.json's "model" for a byte-level BPE: no unknown token, no byte fallback, merges applied in order. */
export function bpeModelJson(vocab: Record<string, number>, merges: readonly unknown[]): Record<string, unknown> {
  return {
    type: "BPE",
    dropout: null,
    unk_token: null,
    continuing_subword_prefix: "",
    end_of_word_suffix: "",
    fuse_unk: false,
    byte_fallback: false,
    ignore_merges: false,
    vocab,
    merges,
  };
}
