// The train and test tasks as each engine's dataset rows, written as Parquet
// with nested columns (lists and structs, as pandas and `datasets` read them).
//
// verl (RL dataset):  data_source, prompt (chat messages: our format's system
//   prompt, then the user turn), ability, reward_model {style, ground_truth},
//   extra_info {split, index, id, question, answers, kind, category, needs, format}
// TRL (GRPOTrainer):   prompt (conversational), plus the columns the reward
//   function reads (answers, kind, format) and the task's identity (data_source,
//   task_id, question, split, index, category)
// tapo_reward.py reads answers, kind and format (a missing kind grades as math).
import { parquetWriteBuffer } from "hyparquet-writer";
import type { RolloutFormat } from "../protocol/format";
import type { Task, TaskSplit } from "../protocol/tasks";
import { systemPrompt } from "../rollout/formats";
import type { Engine } from "./settings_map";

export type ChatMessage = { role: "system" | "user"; content: string };

/** The chat messages that open a rollout of `question`: the format's system prompt, then its user turn. */
export function promptMessages(format: RolloutFormat, question: string, maxTurns: number): ChatMessage[] {
  return [
    { role: "system", content: systemPrompt(format, maxTurns) },
    { role: "user", content: format.user.replaceAll("{question}", question) },
  ];
}

type Row = Record<string, unknown>;

export function verlRow(task: Task, split: TaskSplit, index: number, format: RolloutFormat, maxTurns: number): Row {
  return {
    data_source: task.data_source,
    prompt: promptMessages(format, task.question, maxTurns),
    ability: task.kind ?? "default",
    reward_model: { style: "rule", ground_truth: task.answers },
    extra_info: {
      split,
      index,
      id: task.id,
      question: task.question,
      answers: task.answers,
      kind: task.kind ?? null,
      category: task.category ?? null,
      needs: task.needs ?? [],
      format: format.name,
    },
  };
}

export function trlRow(task: Task, split: TaskSplit, index: number, format: RolloutFormat, maxTurns: number): Row {
  return {
    prompt: promptMessages(format, task.question, maxTurns),
    answers: task.answers,
    kind: task.kind ?? null,
    data_source: task.data_source,
    task_id: task.id,
    question: task.question,
    split,
    index,
    category: task.category ?? null,
    format: format.name,
  };
}

/** A column's shape: a scalar, a list of one shape, or a struct of named shapes. */
type Shape = "string" | "int" | { list: Shape } | { struct: Record<string, Shape> };

const MESSAGES: Shape = { list: { struct: { role: "string", content: "string" } } };
const STRINGS: Shape = { list: "string" };

const COLUMNS: Record<Engine, Record<string, Shape>> = {
  verl: {
    data_source: "string",
    prompt: MESSAGES,
    ability: "string",
    reward_model: { struct: { style: "string", ground_truth: STRINGS } },
    extra_info: { struct: { split: "string", index: "int", id: "string", question: "string", answers: STRINGS, kind: "string", category: "string", needs: STRINGS, format: "string" } },
  },
  trl: { prompt: MESSAGES, answers: STRINGS, kind: "string", data_source: "string", task_id: "string", question: "string", split: "string", index: "int", category: "string", format: "string" },
};

type SchemaElement = Record<string, unknown>;

/** Parquet schema elements for one column (depth first, as the format lists them); lists use the 3-level LIST layout. */
function schemaOf(name: string, shape: Shape): SchemaElement[] {
  if (shape === "string") return [{ name, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" }];
  if (shape === "int") return [{ name, type: "INT64", repetition_type: "OPTIONAL" }];
  if ("list" in shape) {
    return [
      { name, repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
      { name: "list", repetition_type: "REPEATED", num_children: 1 },
      ...schemaOf("element", shape.list),
    ];
  }
  const fields = Object.entries(shape.struct);
  return [{ name, repetition_type: "OPTIONAL", num_children: fields.length }, ...fields.flatMap(([k, s]) => schemaOf(k, s))];
}

/** Ints as the BigInt that INT64 columns take, inside any nesting. */
function withBigInts(value: unknown, shape: Shape): unknown {
  if (value === null || value === undefined) return null;
  if (shape === "int") return BigInt(value as number);
  if (shape === "string") return value;
  if ("list" in shape) return (value as unknown[]).map((v) => withBigInts(v, shape.list));
  return Object.fromEntries(Object.entries(shape.struct).map(([k, s]) => [k, withBigInts((value as Row)[k], s)]));
}

/** The rows as one Parquet file in `engine`'s schema. */
export function rowsToParquet(engine: Engine, rows: Row[]): ArrayBuffer {
  const columns = Object.entries(COLUMNS[engine]);
  const schema = [{ name: "root", num_children: columns.length }, ...columns.flatMap(([name, shape]) => schemaOf(name, shape))];
  return parquetWriteBuffer({
    columnData: columns.map(([name, shape]) => ({ name, data: rows.map((r) => withBigInts(r[name], shape)) })),
    schema: schema as never,
  });
}

/** `engine`'s rows for a split of tasks. */
export function splitRows(engine: Engine, tasks: readonly Task[], split: TaskSplit, format: RolloutFormat, maxTurns: number): Row[] {
  const row = engine === "verl" ? verlRow : trlRow;
  return tasks.map((t, i) => row(t, split, i, format, maxTurns));
}
