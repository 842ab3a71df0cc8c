// The one error type of `tapo export`: a model, adapter, dtype or output folder
// that cannot give the export asked for, with a message that says what to do.

export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExportError";
  }
}
