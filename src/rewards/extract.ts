// Answer extraction: the text of the last closed <answer> block of a response,
// and inside it the last \boxed{…} (braces nested to any depth) when there is one.

/** The inner text (trimmed) of the last closed `<tag>…</tag>` block in `text`, or undefined without one. */
export function lastBlock(text: string, tag = "answer"): string | undefined {
  const open = `<${tag}>`;
  const close = `</${tag}>`;
  const closeAt = text.lastIndexOf(close);
  if (closeAt < 0) return undefined;
  const openAt = text.lastIndexOf(open, closeAt - open.length);
  return openAt < 0 ? undefined : text.slice(openAt + open.length, closeAt).trim();
}

/**
 * The content of the last `\boxed{…}` (or `\fbox{…}`) in `text`, matching nested braces, or
 * undefined when there is none or its braces never close.
 */
export function lastBoxed(text: string): string | undefined {
  const re = /\\(?:boxed|fbox)\s*\{/g;
  let start = -1;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) start = m.index + m[0].length;
  if (start < 0) return undefined;
  let depth = 1;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\" && (text[i + 1] === "{" || text[i + 1] === "}")) {
      i++;
      continue;
    }
    if (ch === "{") depth++;
    else if (ch === "}" && --depth === 0) return text.slice(start, i).trim();
  }
  return undefined;
}

/** The answer a response gives: the last answer block's text, or its last \boxed{} content when it has one. */
export function extractAnswer(response: string, answerTag = "answer"): string | undefined {
  const block = lastBlock(response, answerTag);
  if (block === undefined) return undefined;
  return lastBoxed(block) ?? block;
}
