// Your own tasks: the field mapping shared by both sources, a file or a
// Hugging Face dataset, and the preview of what was read.
import { useState } from "react";
import { FieldMappingForm } from "./FieldMappingForm";
import { FileImportForm } from "./FileImportForm";
import { HfImportForm } from "./HfImportForm";
import { ImportPreview } from "./ImportPreview";

export function ImportPanel() {
  const [columns, setColumns] = useState<string[]>([]);
  return (
    <section className="panel import-panel" aria-labelledby="import-title">
      <h2 id="import-title">Import your own tasks</h2>
      <p>
        One task a row: a question and its gold answers (text, a number or a list), optionally a grading <code>kind</code>{" "}
        (math, qa or calc) and a <code>data_source</code>. Rows that cannot be used are listed with the reason; nothing
        changes for training until you press “Use these tasks”.
      </p>
      <FieldMappingForm columns={columns} />
      <div className="import-sources">
        <FileImportForm onColumns={setColumns} />
        <HfImportForm />
      </div>
      <ImportPreview />
    </section>
  );
}
