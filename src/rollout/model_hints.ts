// Optional TAPO Studio settings that travel with a model folder in `tapo.json`:
// the rollout format the model was trained to follow (the bundled tiny model
// uses the short "tiny" prompt; a Qwen2.5 folder has no such file and gets
// TAPO's), the tool-call limit its prompt said (a tiny model is sensitive
// to the "at most N times" it learned) and how many documents a search
// returned in its demonstrations (the tiny model learned to copy from one),
// and the built-in task level it can learn from ("tiny": the full level's
// questions are beyond the bundled model, whose every rollout then fails).
// A malformed file is refused with its problem, not ignored.
import { type FileSet, readJson } from "../io/source";
import { FORMAT_NAMES } from "./formats";
import { type FormatName } from "../protocol/format";

export const MODEL_HINTS_FILE = "tapo.json";

export type ModelHints = { format?: FormatName; maxTurns?: number; searchTopK?: number; taskLevel?: "full" | "tiny" };

const TASK_LEVELS = ["full", "tiny"];

export async function readModelHints(files: FileSet, signal?: AbortSignal): Promise<ModelHints> {
  const file = files.get(MODEL_HINTS_FILE);
  if (!file) return {};
  const json = (await readJson(file, signal)) as Record<string, unknown> | null;
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw new Error(`${files.label}: ${MODEL_HINTS_FILE} must hold a JSON object`);
  if (json.format !== undefined && !FORMAT_NAMES.includes(json.format as FormatName)) {
    throw new Error(`${files.label}: ${MODEL_HINTS_FILE} names format ${JSON.stringify(json.format)}; known: ${FORMAT_NAMES.join(", ")}`);
  }
  if (json.maxTurns !== undefined && !(Number.isInteger(json.maxTurns) && (json.maxTurns as number) >= 1)) {
    throw new Error(`${files.label}: ${MODEL_HINTS_FILE} says maxTurns ${JSON.stringify(json.maxTurns)}; it must be a whole number ≥ 1`);
  }
  if (json.searchTopK !== undefined && !(Number.isInteger(json.searchTopK) && (json.searchTopK as number) >= 1)) {
    throw new Error(`${files.label}: ${MODEL_HINTS_FILE} says searchTopK ${JSON.stringify(json.searchTopK)}; it must be a whole number ≥ 1`);
  }
  if (json.taskLevel !== undefined && !TASK_LEVELS.includes(json.taskLevel as string)) {
    throw new Error(`${files.label}: ${MODEL_HINTS_FILE} names taskLevel ${JSON.stringify(json.taskLevel)}; known: ${TASK_LEVELS.join(", ")}`);
  }
  return {
    ...(json.format !== undefined ? { format: json.format as FormatName } : {}),
    ...(json.maxTurns !== undefined ? { maxTurns: json.maxTurns as number } : {}),
    ...(json.searchTopK !== undefined ? { searchTopK: json.searchTopK as number } : {}),
    ...(json.taskLevel !== undefined ? { taskLevel: json.taskLevel as "full" | "tiny" } : {}),
  };
}
