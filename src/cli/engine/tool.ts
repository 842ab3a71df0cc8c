// The engine side of `tapo tool python CODE` / `tapo tool search QUERY`: one
// tool call run exactly as a rollout runs it, answering what the model would
// see inside <response>…</response>.
import { PythonTool } from "../../tools/python/python_tool";
import { createSearchBackend, parseBackendSpec } from "../../tools/search/backends";
import { loadBundledIndex, loadBundledIndexFromDisk } from "../../tools/search/corpus_loader";
import { SearchTool } from "../../tools/search/search_tool";
import type { ToolName, ToolResult } from "../../protocol/tools";

export async function runToolCommand(tool: ToolName, text: string, backend: string | undefined): Promise<ToolResult> {
  if (tool === "python") {
    if (typeof Worker === "undefined") {
      throw new Error("tool python runs Pyodide in a Web Worker: use the default --runtime browser");
    }
    const python = new PythonTool();
    try {
      return await python.run(text, "cli");
    } finally {
      python.dispose();
    }
  }
  const spec = parseBackendSpec(backend ?? "local");
  // The headless page fetches the corpus from the file server; under Node (--runtime node) it is read from disk.
  const index = spec.kind === "local" ? await (typeof window !== "undefined" ? loadBundledIndex() : loadBundledIndexFromDisk()) : undefined;
  return new SearchTool(createSearchBackend(spec, index)).run(text);
}
