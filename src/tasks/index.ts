// Tasks: the built-in seeded question generator (train/test splits) and the
// import of dataset files and Hugging Face datasets into the same Task shape.

export { builtinTasks, BuiltinPoolExhaustedError, DEFAULT_BUILTIN_COUNTS, type BuiltinCounts, type BuiltinTaskOptions } from "./builtin.ts";
export { splitOfEntity, splitOfQuestion } from "./split.ts";
export { TASK_CATEGORIES, TASK_KINDS, type BuiltinTask, type Task, type TaskCategory, type TaskKind, type TaskSplit, type ToolNeed } from "../protocol/tasks.ts";
export { importDatasetFile, detectFormat, type DatasetFileOptions, type DatasetFormat } from "./import/dataset_file.ts";
export { importHfDataset, HF_DATASETS_SERVER, type HfDatasetOptions } from "./import/hf_datasets_server.ts";
export { describeImport, TaskCollector, type FieldMapping, type ImportResult, type SkippedRow } from "./import/row_schema.ts";
export { DatasetFormatError, DatasetImportError, HfDatasetNotFoundError, HfServerError, NoUsableRowsError } from "./import/errors.ts";
