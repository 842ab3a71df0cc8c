// Model files at a URL the user typed: one .gguf file, or a folder URL under
// which the Hugging Face files sit (config.json, tokenizer files, and
// model.safetensors or the shards that model.safetensors.index.json names).
// A plain folder URL cannot be listed, so the known names are probed.
import { type ByteSource, type FileSet, fileSet, readJson } from "../io/source";
import { HttpNotFoundError, httpSource, type HttpOptions } from "./http";

/** `base` + `name`, with `base` treated as a folder. */
function under(base: string, name: string): string {
  const folder = base.endsWith("/") ? base : `${base}/`;
  return new URL(name.split("/").map(encodeURIComponent).join("/"), folder).toString();
}

/**
 * A FileSet over files under a base URL: each name is probed (its size learnt) and read with Range requests.
 * Throws HttpNotFoundError naming the first missing file's URL.
 */
export async function urlFileSet(baseUrl: string, names: string[], opts: HttpOptions = {}): Promise<FileSet> {
  const sources = new Map<string, ByteSource>();
  for (const name of names) sources.set(name, await httpSource(under(baseUrl, name), { ...opts, name }));
  return fileSet(baseUrl, sources);
}

/**
 * An optional JSON file, or undefined when it is not there: a 404, or an HTML page in its place
 * (single-page-app servers such as Vite's answer every unknown path with index.html and 200).
 */
async function optional(url: string, name: string, opts: HttpOptions): Promise<ByteSource | undefined> {
  let source: ByteSource;
  try {
    source = await httpSource(url, { ...opts, name });
  } catch (error) {
    if (error instanceof HttpNotFoundError) return undefined;
    throw error;
  }
  const head = new TextDecoder().decode(await source.read(0, Math.min(64, source.size))).trimStart();
  return head.startsWith("<") ? undefined : source;
}

/**
 * A model at a URL: a `.gguf` URL gives a one-file set; any other URL is a folder holding config.json,
 * tokenizer files and safetensors weights (sharded when model.safetensors.index.json is there).
 */
export async function urlModelFileSet(url: string, opts: HttpOptions = {}): Promise<FileSet> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`"${url}" is not a URL: write it in full, e.g. https://example.org/models/qwen2.5-0.5b/`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new Error(`${url} is not an http(s) URL`);
  }
  if (parsed.pathname.toLowerCase().endsWith(".gguf")) {
    const source = await httpSource(parsed.toString(), opts);
    return fileSet(parsed.toString(), [source]);
  }
  const base = parsed.toString();
  const sources = new Map<string, ByteSource>();
  sources.set("config.json", await httpSource(under(base, "config.json"), { ...opts, name: "config.json" }));
  for (const name of ["tokenizer.json", "tokenizer_config.json", "generation_config.json", "tapo.json"]) {
    const s = await optional(under(base, name), name, opts);
    if (s) sources.set(name, s);
  }
  const index = await optional(under(base, "model.safetensors.index.json"), "model.safetensors.index.json", opts);
  if (index) {
    sources.set(index.name, index);
    const json = (await readJson(index)) as { weight_map?: Record<string, string> };
    const shards = [...new Set(Object.values(json.weight_map ?? {}))];
    if (shards.length === 0) throw new Error(`${under(base, index.name)} names no shard files in its weight_map`);
    for (const shard of shards) sources.set(shard, await httpSource(under(base, shard), { ...opts, name: shard }));
  } else {
    const name = "model.safetensors";
    sources.set(name, await httpSource(under(base, name), { ...opts, name }));
  }
  return fileSet(base, sources);
}
