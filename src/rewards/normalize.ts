// Answer normalisation shared by the QA and math checks: thousands separators,
// number words, surrounding dollar signs and trailing periods, and the
// SQuAD-style QA form (lowercase, no punctuation, no articles, single spaces).
import { numberWordsToDigits } from "./number_words";

/** `text` with thousands separators removed from numbers written with them ("1,234,567" → "1234567"); other commas stay. */
export function stripThousands(text: string): string {
  return text.replace(/(?<![\d.]|\d,)\d{1,3}(?:,\d{3})+(?![\d]|,\d)/g, (m) => m.replaceAll(",", ""));
}

/** `text` trimmed of surrounding `$…$` (math mode) or a leading "$" (currency), and of one trailing period. */
export function stripWrapping(text: string): string {
  let t = text.trim();
  if (t.length > 1 && t.startsWith("$") && t.endsWith("$")) t = t.replace(/^\$+/, "").replace(/\$+$/, "").trim();
  else if (/^\$\s*\d/.test(t)) t = t.slice(1).trim();
  if (t.endsWith(".") && !t.endsWith("..")) t = t.slice(0, -1).trim();
  return t;
}

const ARTICLES = /\b(?:a|an|the)\b/g;

/**
 * The SQuAD-style QA form of an answer: lowercase, number words to digits, thousands separators
 * removed, punctuation and symbols deleted ("U.S." → "us"; a period or slash between digits is kept,
 * so "3.5" and "3/4" stay numbers), the articles a/an/the removed, whitespace collapsed to single spaces.
 */
export function normalizeQa(text: string): string {
  let t = stripThousands(numberWordsToDigits(stripWrapping(text).toLowerCase()));
  t = t.replace(/(\d)([./])(?=\d)/g, (_, d: string, p: string) => d + (p === "." ? "\u0000" : "\u0001"));
  t = t.replace(/[\p{P}\p{S}]/gu, "").replaceAll("\u0000", ".").replaceAll("\u0001", "/");
  return t.replace(ARTICLES, " ").replace(/\s+/g, " ").trim();
}
