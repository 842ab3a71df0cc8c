// Checks how `tapo train`, `tapo eval` and the trainer worker fill a request from the model's tapo.json (Node, no GPU): the format and the tool-call limit the model learned apply only where the request says nothing.
import { describe, expect, it } from "vitest";
import type { TrainRequest } from "../protocol/run";
import { withHints } from "./run_setup";

const request = (over: Partial<TrainRequest> = {}): TrainRequest => ({ tasks: { kind: "builtin", seed: 1 }, config: {}, steps: 1, seed: 1, evalEvery: 0, evalTasks: 1, checkpointEvery: 1, ...over });

describe("withHints", () => {
  it("takes the model's format and maxTurns where the request has none, and keeps the request's own", () => {
    expect(withHints(request(), { format: "tiny", maxTurns: 2 })).toMatchObject({ format: "tiny", config: { maxTurns: 2 } });
    expect(withHints(request({ format: "tapo", config: { maxTurns: 3, groupSize: 4 } }), { format: "tiny", maxTurns: 2 })).toMatchObject({ format: "tapo", config: { maxTurns: 3, groupSize: 4 } });
    expect(withHints(request({ config: { groupSize: 4 } }), {})).toEqual(request({ config: { groupSize: 4 } }));
  });
});
