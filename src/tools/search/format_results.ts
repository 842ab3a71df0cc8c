// The text the model sees for a search: one `Doc i: (Title: …) snippet` line
// per hit, snippets cut at a word boundary; a fixed text when nothing matched;
// fixed rejections for queries too short or too long.

import type { SearchHit } from "./types.ts";

/** What the model sees when the search found nothing. */
export const NO_RESULTS_TEXT = "No relevant information was found for this query.";

/** Default longest snippet, in characters (before the ellipsis). */
export const DEFAULT_SNIPPET_CHARS = 400;

/**
 * Collapses whitespace and cuts `text` to at most `maxChars` characters,
 * at the last space when there is one in the second half, adding "…".
 */
export function trimSnippet(text: string, maxChars = DEFAULT_SNIPPET_CHARS): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= maxChars) return flat;
  const cut = flat.slice(0, maxChars);
  const space = cut.lastIndexOf(" ");
  return (space >= maxChars / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, "") + "…";
}

/**
 * The response text for a list of hits.
 * @returns "Doc 1: (Title: A) snippet\nDoc 2: (Title: B) snippet…", or NO_RESULTS_TEXT for no hits.
 */
export function formatSearchResults(hits: readonly SearchHit[], snippetChars = DEFAULT_SNIPPET_CHARS): string {
  if (hits.length === 0) return NO_RESULTS_TEXT;
  return hits
    .map((hit, i) => `Doc ${i + 1}: (Title: ${hit.title.replace(/\s+/g, " ").trim()}) ${trimSnippet(hit.text, snippetChars)}`.trimEnd())
    .join("\n");
}

/** The rejection the model sees for a query outside [minChars, maxChars] characters, or undefined when it is fine. */
export function queryRejection(query: string, minChars: number, maxChars: number): string | undefined {
  if (query.length < minChars) {
    return `Search query rejected: it has ${query.length} characters and needs at least ${minChars}. Write a longer query inside <search>…</search>.`;
  }
  if (query.length > maxChars) {
    return `Search query rejected: it has ${query.length} characters and may have at most ${maxChars}. Write a shorter query inside <search>…</search>.`;
  }
  return undefined;
}
