// A small YAML writer for the configs a recipe writes: nested mappings, lists
// (scalars in flow style, mappings in block style), strings double-quoted as
// JSON (valid YAML), floats in a form PyYAML and OmegaConf both read as floats.

/** A number as YAML: integers as they are, 1e-8 as 1.0e-8 (PyYAML reads "1e-8" as a string). */
export function yamlNumber(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? ".inf" : n < 0 ? "-.inf" : ".nan";
  const text = String(n);
  if (!/e/i.test(text)) return text;
  const [mantissa, exponent] = text.split(/e/i);
  return `${mantissa!.includes(".") ? mantissa : `${mantissa}.0`}e${exponent!.startsWith("-") || exponent!.startsWith("+") ? exponent : `+${exponent}`}`;
}

/** A scalar as YAML. */
export function yamlScalar(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "number") return yamlNumber(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  return JSON.stringify(String(v));
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function lines(value: Record<string, unknown>, indent: string): string[] {
  const out: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const k = /^[A-Za-z_][\w.-]*$/.test(key) ? key : JSON.stringify(key);
    if (isMapping(v)) {
      if (Object.keys(v).length === 0) out.push(`${indent}${k}: {}`);
      else out.push(`${indent}${k}:`, ...lines(v, `${indent}  `));
    } else if (Array.isArray(v) && v.some(isMapping)) {
      out.push(`${indent}${k}:`);
      for (const item of v) {
        const [first, ...rest] = lines(item as Record<string, unknown>, `${indent}    `);
        out.push(`${indent}  - ${first!.trimStart()}`, ...rest);
      }
    } else if (Array.isArray(v)) {
      out.push(`${indent}${k}: [${v.map(yamlScalar).join(", ")}]`);
    } else {
      out.push(`${indent}${k}: ${yamlScalar(v)}`);
    }
  }
  return out;
}

/** `value` as a YAML document, with `comments` as `#` lines on top. */
export function toYaml(value: Record<string, unknown>, comments: string[] = []): string {
  return [...comments.map((c) => `# ${c}`), ...lines(value, "")].join("\n") + "\n";
}

/** Dotted option names ("a.b.c") and values as one nested mapping. */
export function nestDotted(entries: Iterable<[string, unknown]>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, value] of entries) {
    const parts = path.split(".");
    let node = root;
    for (const part of parts.slice(0, -1)) {
      if (!isMapping(node[part])) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]!] = value;
  }
  return root;
}
