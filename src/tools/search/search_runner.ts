// A ToolRunner for the rollout loop that answers search calls with a
// SearchTool and hands Python calls to another runner (or reports the
// Python tool missing, for search-only presets such as Search-R1).

import type { ToolCall, ToolResult, ToolRunner } from "../../protocol/tools.ts";
import type { SearchTool } from "./search_tool.ts";

/** What the model sees for a Python call when no Python runner was given. */
export const PYTHON_UNAVAILABLE_TEXT = "The python tool is not available in this task; use <search> or <answer>.";

/** Routes `search` calls to `search` and `python` calls to `python` (when given). */
export class SearchToolRunner implements ToolRunner {
  constructor(
    readonly search: SearchTool,
    readonly python?: ToolRunner,
  ) {}

  async run(call: ToolCall, session: string, signal?: AbortSignal): Promise<ToolResult> {
    if (call.tool === "search") return this.search.run(call.text, signal);
    if (this.python) return this.python.run(call, session, signal);
    return { response: PYTHON_UNAVAILABLE_TEXT, error: "unavailable", ms: 0 };
  }

  endSession(session: string): Promise<void> | void {
    return this.python?.endSession(session);
  }
}
