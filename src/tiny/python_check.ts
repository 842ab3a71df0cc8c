// Checks every Python response a set of demonstrations claims against the
// real Python tool: the demonstrations compute what the code prints in
// JavaScript (python_plans.ts); this makes sure that is exactly what the tool
// returns, so no demonstration teaches an output the tool would not give.
import { pythonCodeToRun, wrapResponse } from "../rollout/formats";
import { type RolloutFormat } from "../protocol/format";
import type { ToolRunner } from "../protocol/tools";
import type { Demonstration } from "./demonstrations";

/** A demonstration whose Python response differs from the real tool's. */
export class PythonMismatchError extends Error {
  constructor(task: string, code: string, claimed: string, got: string) {
    super(
      `the demonstration of "${task}" claims that ${JSON.stringify(code)} prints ${JSON.stringify(claimed)}, ` +
        `but the Python tool returned ${JSON.stringify(got)}: fix src/tiny/python_plans.ts or search_plans.ts`,
    );
    this.name = "PythonMismatchError";
  }
}

/** Runs every Python call of `demos` through `python` (one session per demonstration); throws PythonMismatchError at the first difference. Returns the number of calls checked. */
export async function checkPythonResponses(demos: readonly Demonstration[], python: ToolRunner, format: RolloutFormat): Promise<number> {
  const tag = format.calls.find((c) => c.tool === "python");
  if (!tag) throw new Error(`the ${format.name} format has no Python tag`);
  let checked = 0;
  for (const [i, demo] of demos.entries()) {
    const session = `demo-check-${i}`;
    try {
      for (let k = 0; k + 1 < demo.pieces.length; k += 2) {
        const call = demo.pieces[k]!.text;
        const start = call.lastIndexOf(tag.open);
        if (start < 0 || !call.endsWith(tag.close)) continue;
        const code = call.slice(start + tag.open.length, -tag.close.length);
        const result = await python.run({ tool: "python", text: pythonCodeToRun(format, demo.task.question, code) }, session);
        const claimed = demo.pieces[k + 1]!.text;
        if (wrapResponse(format, result.response) !== claimed) throw new PythonMismatchError(demo.task.question, code, claimed, result.response);
        checked++;
      }
    } finally {
      await python.endSession(session);
    }
  }
  return checked;
}
