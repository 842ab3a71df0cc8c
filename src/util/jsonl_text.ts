// Rows as JSON Lines text: one JSON object a line, each line ended by "\n"
// (nothing for no rows), as `tapo train --out` and the Train page write them.

export function jsonlText(rows: readonly unknown[]): string {
  return rows.map((r) => `${JSON.stringify(r)}\n`).join("");
}
