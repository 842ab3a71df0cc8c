// ToolRunner over the Python tool: one Python namespace per rollout (session).
// Combine with search through SearchToolRunner(search, new PythonToolRunner(python)).
import type { PythonTool } from "./python/python_tool";
import type { ToolCall, ToolResult, ToolRunner } from "../protocol/tools";

export class PythonToolRunner implements ToolRunner {
  constructor(readonly python: PythonTool) {}

  run(call: ToolCall, session: string, signal?: AbortSignal): Promise<ToolResult> {
    if (call.tool !== "python") throw new Error(`PythonToolRunner runs python calls, not ${call.tool}`);
    return this.python.run(call.text, session, signal);
  }

  endSession(session: string): Promise<void> {
    return this.python.endSession(session);
  }
}
