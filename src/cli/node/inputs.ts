// Reads the `logprobs` input file: JSONL, one {"input_ids": [int, …]} per line.
// A bad line stops the command with its line number and what is wrong with it.

/** Token id sequences, one per non-empty line. */
export function parseInputIds(text: string, file: string): number[][] {
  const out: number[][] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "") return;
    const where = `${file} line ${i + 1}`;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new Error(`${where} is not valid JSON: each line must be {"input_ids": [token ids]}`);
    }
    const ids = (row as { input_ids?: unknown }).input_ids;
    if (!Array.isArray(ids)) throw new Error(`${where} has no "input_ids" array`);
    if (ids.length < 2) throw new Error(`${where}: "input_ids" needs at least 2 tokens (log-probs are of token t+1 given 0..t)`);
    const bad = ids.findIndex((v) => !Number.isInteger(v) || (v as number) < 0);
    if (bad >= 0) throw new Error(`${where}: input_ids[${bad}] = ${JSON.stringify(ids[bad])} is not a non-negative integer`);
    out.push(ids as number[]);
  });
  if (out.length === 0) throw new Error(`${file} holds no input lines`);
  return out;
}
