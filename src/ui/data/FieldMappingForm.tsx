// Which column holds the question, the gold answers, the grading kind and the
// data source; blank means the usual names. Offers the file's own column names.
import { useId } from "react";
import { useShallow } from "zustand/react/shallow";
import { type DataPageState, type MappingForm, setMappingField, useDataStore } from "./dataStore";

const FIELDS: { key: keyof MappingForm; label: string; defaults: string }[] = [
  { key: "question", label: "Question column", defaults: "question, prompt or problem" },
  { key: "answers", label: "Answers column", defaults: "answer, answers or golden_answers" },
  { key: "kind", label: "Kind column", defaults: "kind (math, qa or calc)" },
  { key: "data_source", label: "Data source column", defaults: "data_source" },
];

const select = (s: DataPageState) => s.mapping;

type Props = { columns: readonly string[] };

export function FieldMappingForm({ columns }: Props) {
  const mapping = useDataStore(useShallow(select));
  const listId = useId();
  return (
    <fieldset className="field-mapping">
      <legend>Field mapping</legend>
      <p className="muted">
        Leave a field blank to use the usual column names. Dotted paths reach into nested objects (e.g. <code>reward_model.ground_truth</code>).
        {columns.length > 0 ? ` This file's columns: ${columns.join(", ")}.` : null}
      </p>
      <div className="mapping-fields">
        {FIELDS.map((f) => (
          <label key={f.key}>
            <span>{f.label}</span>
            <input
              type="text"
              name={`map-${f.key}`}
              list={columns.length > 0 ? listId : undefined}
              placeholder={f.defaults}
              value={mapping[f.key]}
              onChange={(e) => setMappingField(f.key, e.currentTarget.value)}
            />
          </label>
        ))}
      </div>
      {columns.length > 0 ? (
        <datalist id={listId}>
          {columns.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
      ) : null}
    </fieldset>
  );
}
