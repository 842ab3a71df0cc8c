// Errors of dataset import: a file with no usable row, a file in a format
// that cannot be read, a file or row over a size cap, and failures of the
// Hugging Face datasets server.

/** Base class: every import failure says what happened and what to do next. */
export class DatasetImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DatasetImportError";
  }
}

/** Every row of a source was skipped (or it had none). */
export class NoUsableRowsError extends DatasetImportError {
  constructor(readonly source: string, readonly rowsRead: number, readonly firstReasons: string[]) {
    super(
      rowsRead === 0
        ? `${source} has no usable row: it holds no rows at all; check that it is the right file`
        : `${source} has no usable row: all ${rowsRead} rows were skipped (${firstReasons.join("; ")}). ` +
          `Rows need a question (question, prompt or problem) and gold answers (answer, answers or golden_answers); ` +
          `map other column names with e.g. { question: "query", answers: "label" }`,
    );
    this.name = "NoUsableRowsError";
  }
}

/** The bytes are not a file of the format asked for. */
export class DatasetFormatError extends DatasetImportError {
  constructor(message: string) {
    super(message);
    this.name = "DatasetFormatError";
  }
}

/** A file, row or server answer bigger than TAPO Studio reads (limits.ts); the message names the cap. */
export class DatasetTooLargeError extends DatasetImportError {
  constructor(message: string) {
    super(message);
    this.name = "DatasetTooLargeError";
  }
}

/** The datasets server answered that the dataset, config or split does not exist (or is private or gated). */
export class HfDatasetNotFoundError extends DatasetImportError {
  constructor(readonly dataset: string, serverMessage: string) {
    super(
      `the Hugging Face datasets server has no dataset "${dataset}" that it can show (${serverMessage}); ` +
        `check the spelling (owner/name, e.g. openai/gsm8k), the config and the split, or download the file and import it instead`,
    );
    this.name = "HfDatasetNotFoundError";
  }
}

/** The datasets server could not be reached or answered with an error. */
export class HfServerError extends DatasetImportError {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = "HfServerError";
  }
}
