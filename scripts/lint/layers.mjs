// The project's import rules, as an ESLint plugin (`tapo/layers`, `tapo/no-import-cycle`):
//
//   layers          a folder may import only folders in layers below its own; folders that
//                   share a layer do not import each other. Tests and test helpers may
//                   import anything; product code may not import them.
//   no-import-cycle no file reaches itself through relative imports (type-only imports
//                   count: they tie the files together just the same).
//
// LAYERS below is the one statement of the order; the README's "Layers" table says the
// same in words, and scripts/lint/layers.test.ts keeps the two, and the tree, in step.
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Bottom to top: each entry is one layer, a list of folders relative to the repository root. */
export const LAYERS = [
  ["src/protocol", "src/util"],
  ["src/io", "src/quant", "src/storage", "src/tokenizer"],
  ["src/formats", "src/gpu", "src/tasks", "src/rewards"],
  ["src/model", "src/tools"],
  ["src/generate", "src/loader", "src/ref"],
  ["src/bench", "src/export", "src/rollout", "src/sources"],
  ["src/traces"],
  ["src/rl"],
  ["src/sft", "src/trainer"],
  ["src/cli/engine", "src/recipe", "src/tiny", "workers"],
  ["src/cli/node", "src/ui"],
  ["src/main.tsx"],
  ["scripts", "e2e"],
];

/** The layer entry that holds `file` (absolute), as { folder, layer }, or undefined outside every layer. */
export function placeOf(file) {
  const rel = path.relative(ROOT, file).split(path.sep).join("/");
  let best;
  LAYERS.forEach((folders, layer) => {
    for (const folder of folders) {
      if ((rel === folder || rel.startsWith(`${folder}/`)) && (!best || folder.length > best.folder.length)) best = { folder, layer };
    }
  });
  return best;
}

/** Tests and the helpers only tests use: outside the product's import graph. */
export function isTestFile(file) {
  const base = path.basename(file);
  return /\.(test|gpu\.test|browser\.test)\.tsx?$/.test(base) || /^testing(_\w+)?\.tsx?$/.test(base) || /_testing\.tsx?$/.test(base) || file.split(path.sep).includes("e2e");
}

const EXTENSIONS = ["", ".ts", ".tsx", ".mjs", ".js", "/index.ts"];

/** The file a relative specifier names from `from`, or undefined (packages, virtual modules, missing files). */
export function resolveImport(from, specifier) {
  if (!specifier.startsWith(".")) return undefined;
  const base = path.resolve(path.dirname(from), specifier.replace(/\?.*$/, ""));
  for (const ext of EXTENSIONS) {
    const candidate = base + ext;
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return undefined;
}

const IMPORT_RE =
  /(?:^|[\s;])(?:import|export)\b\s*[^"'`;]*?\bfrom\s*["']([^"']+)["']|(?:^|[\s;])import\s*["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)|\bnew\s+URL\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url\s*\)/g;

/** Relative specifiers of `source`, comments stripped. */
export function specifiersOf(source) {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
  const out = [];
  for (const m of code.matchAll(IMPORT_RE)) {
    const spec = m[1] ?? m[2] ?? m[3] ?? m[4];
    if (spec?.startsWith(".")) out.push(spec);
  }
  return out;
}

/** Imports of files on disk, cached by modification time (an editor's long-lived process sees edits). */
const cache = new Map();
function importsOnDisk(file) {
  let mtime;
  try {
    mtime = statSync(file).mtimeMs;
  } catch {
    return [];
  }
  const hit = cache.get(file);
  if (hit && hit.mtime === mtime) return hit.deps;
  const deps = /\.(tsx?|mjs|js)$/.test(file) ? specifiersOf(readFileSync(file, "utf8")).map((s) => resolveImport(file, s)).filter(Boolean) : [];
  cache.set(file, { mtime, deps });
  return deps;
}

/** The shortest import path from `start`'s imports back to `start`, as files, or undefined. */
export function cycleThrough(start, startDeps) {
  const previous = new Map();
  const queue = [];
  for (const d of startDeps) {
    if (d === start) return [start, start];
    if (!previous.has(d)) {
      previous.set(d, start);
      queue.push(d);
    }
  }
  while (queue.length > 0) {
    const file = queue.shift();
    for (const d of importsOnDisk(file)) {
      if (d === start) {
        const chain = [file];
        for (let f = file; previous.get(f) !== start; ) chain.unshift((f = previous.get(f)));
        return [start, ...chain, start];
      }
      if (!previous.has(d)) {
        previous.set(d, file);
        queue.push(d);
      }
    }
  }
  return undefined;
}

const rel = (file) => path.relative(ROOT, file).split(path.sep).join("/");

/**
 * Calls `check(node, specifier)` for every static and dynamic import, re-export, type-only `import("…")`, and
 * `new URL("…", import.meta.url)` (how a worker or an asset is referenced) in the file.
 */
function eachImport(check) {
  const onSource = (node) => {
    if (node.source && typeof node.source.value === "string") check(node.source, node.source.value);
  };
  return {
    ImportDeclaration: onSource,
    ExportNamedDeclaration: onSource,
    ExportAllDeclaration: onSource,
    ImportExpression: onSource,
    TSImportType(node) {
      const literal = node.argument?.literal ?? node.argument;
      if (literal && typeof literal.value === "string") check(literal, literal.value);
    },
    NewExpression(node) {
      const [url, base] = node.arguments;
      const isMetaUrl = base?.type === "MemberExpression" && base.object?.type === "MetaProperty" && base.property?.name === "url";
      if (node.callee.type === "Identifier" && node.callee.name === "URL" && isMetaUrl && url?.type === "Literal" && typeof url.value === "string") check(url, url.value);
    },
  };
}

const layers = {
  meta: {
    type: "problem",
    docs: { description: "A folder imports only folders in lower layers (LAYERS in scripts/lint/layers.mjs; the README's Layers table)." },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const here = placeOf(file);
    const testSide = isTestFile(file);
    return eachImport((node, specifier) => {
      const target = resolveImport(file, specifier);
      if (!target) return;
      if (!testSide && isTestFile(target)) {
        context.report({ node, message: `${rel(file)} is product code and imports the test helper ${rel(target)}; move what it needs out of the test helper` });
        return;
      }
      if (testSide || !here) return;
      const there = placeOf(target);
      if (!there || there.folder === here.folder || there.layer < here.layer) return;
      const why = there.layer === here.layer ? "which shares its layer" : `which is ${there.layer - here.layer} layer(s) above it`;
      context.report({
        node,
        message: `${here.folder} may not import ${there.folder} (${rel(target)}), ${why}; move the shared part down (types that cross folders go in src/protocol) or see the README's Layers table`,
      });
    });
  },
};

const noImportCycle = {
  meta: {
    type: "problem",
    docs: { description: "No file reaches itself through relative imports." },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    return {
      Program(node) {
        if (isTestFile(file)) return;
        const deps = specifiersOf(context.sourceCode.text).map((s) => resolveImport(file, s)).filter(Boolean);
        const cycle = cycleThrough(file, deps);
        if (cycle) context.report({ node, message: `import cycle: ${cycle.map(rel).join(" → ")}; move what both sides need into a file both import` });
      },
    };
  },
};

export default { meta: { name: "tapo" }, rules: { layers, "no-import-cycle": noImportCycle } };
