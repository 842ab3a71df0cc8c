// The training settings form: the run's own settings, then every DAPO setting
// in groups, each with its default, one line of help and the reference value;
// problems (resolveDapoConfig's messages included) are listed beside it.
import { memo, type ReactNode, useId, useMemo, useState } from "react";
import { DEFAULT_DAPO_CONFIG } from "../../rl/config";
import { type ConfigKey, configGroups, configIntoForm, helpOf, LORA_TARGETS_FIELD, pageDefault, readForm, RUN_FIELDS } from "./trainForm";
import { type AppState, useAppStore } from "../store";
import { RecipeButtons } from "./RecipeButtons";
import { saveSettingsRecipe } from "./runCommands";
import { resetForm, setFormValue, setFormValues, type TrainState, useTrainStore } from "./trainStore";

const selectForm = (s: TrainState) => s.form;
const selectModelLabel = (s: AppState) => (s.model.status === "loaded" ? s.model.model.label : undefined);
const GROUPS = configGroups();
const OPEN_GROUPS = new Set(["Batch and sampling"]);

function problemsOf(key: string, problems: string[]): string[] {
  return problems.filter((p) => p.startsWith(`${key} `) || p.startsWith(`${key}:`));
}

type FieldProps = { name: string; label: string; doc: string; reference: string; value: string | boolean; initial: string; choices?: string[]; text?: boolean; invalid: boolean };

/**
 * A folding group of settings: opens by itself while it holds a problem, and otherwise stays as the user left it
 * (a controlled `open` would fold it again the moment the problem is fixed, under the user's hands).
 */
function ConfigGroup({ initiallyOpen, forceOpen, children }: { initiallyOpen: boolean; forceOpen: boolean; children: ReactNode }) {
  const [open, setOpen] = useState(initiallyOpen);
  return (
    <details open={open || forceOpen} className="config-group" onToggle={(e) => setOpen(e.currentTarget.open)}>
      {children}
    </details>
  );
}

const Field = memo(function Field({ name, label, doc, reference, value, initial, choices, text, invalid }: FieldProps) {
  const id = useId();
  const changed = typeof value === "boolean" ? String(value) !== initial : value.trim() !== initial;
  const help = (
    <p id={`${id}-help`} className="help">
      {doc}
      {reference ? <span className="reference"> ({reference})</span> : null}
      {changed ? <span className="reference"> Page default: {initial}.</span> : null}
    </p>
  );
  if (typeof value === "boolean") {
    return (
      <div className="field field-switch" data-field={name}>
        <input id={id} type="checkbox" checked={value} aria-describedby={`${id}-help`} onChange={(e) => setFormValue(name, e.currentTarget.checked)} />
        <label htmlFor={id}>
          {label} <code>{name}</code>
        </label>
        {help}
      </div>
    );
  }
  return (
    <div className="field" data-field={name}>
      <label htmlFor={id}>
        {label} <code>{name}</code>
      </label>
      {choices ? (
        <select id={id} value={value} aria-describedby={`${id}-help`} onChange={(e) => setFormValue(name, e.currentTarget.value)}>
          {choices.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          type="text"
          inputMode={text ? "text" : "decimal"}
          spellCheck={false}
          value={value}
          aria-invalid={invalid}
          aria-describedby={`${id}-help`}
          onChange={(e) => setFormValue(name, e.currentTarget.value)}
        />
      )}
      {help}
    </div>
  );
});

/** The choices of a setting whose value is a word (the schedule). */
function choicesOf(key: ConfigKey): string[] | undefined {
  if (key === "lrSchedule") return ["constant", "cosine"];
  return typeof DEFAULT_DAPO_CONFIG[key] === "string" ? [String(DEFAULT_DAPO_CONFIG[key])] : undefined;
}

export function ConfigForm({ disabled }: { disabled: boolean }) {
  const form = useTrainStore(selectForm);
  const [loadNote, setLoadNote] = useState<{ ok: boolean; text: string }>();
  const loadConfigFile = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    input.value = "";
    if (!file) return;
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch (error) {
      setLoadNote({ ok: false, text: `${file.name} is not valid JSON (${error instanceof Error ? error.message : String(error)}): nothing was changed` });
      return;
    }
    const result = configIntoForm(json, useTrainStore.getState().form);
    if (!result.values) {
      setLoadNote({ ok: false, text: `${file.name} was not loaded, nothing was changed: ${result.problems.join("; ")}` });
      return;
    }
    setFormValues(result.values);
    setLoadNote({ ok: true, text: `Loaded the settings of ${file.name}.` });
  };
  const { problems } = useMemo(() => readForm(form), [form]);
  const formOk = problems.length === 0;
  const model = useAppStore(selectModelLabel);
  return (
    <form className="config-form" aria-label="Training settings" onSubmit={(e) => e.preventDefault()}>
      {problems.length > 0 ? (
        <div role="alert" className="form-problems warning">
          <p>These settings cannot be trained with:</p>
          <ul>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <fieldset disabled={disabled} className="config-groups">
        <details open className="config-group">
          <summary>Run</summary>
          <div className="fields">
            {RUN_FIELDS.map((f) => (
              <Field
                key={f.key}
                name={f.key}
                label={f.label}
                doc={f.doc}
                reference=""
                value={form[f.key] ?? ""}
                initial={String(f.initial)}
                invalid={problemsOf(f.key, problems).length > 0}
              />
            ))}
            <Field
              name={LORA_TARGETS_FIELD.key}
              label={LORA_TARGETS_FIELD.label}
              doc={LORA_TARGETS_FIELD.doc}
              reference=""
              value={form[LORA_TARGETS_FIELD.key] ?? ""}
              initial={LORA_TARGETS_FIELD.initial}
              text
              invalid={problemsOf(LORA_TARGETS_FIELD.key, problems).length > 0}
            />
          </div>
        </details>
        {GROUPS.map((g) => {
          const groupProblem = g.keys.some((k) => problemsOf(k, problems).length > 0);
          return (
            <ConfigGroup key={g.title} initiallyOpen={OPEN_GROUPS.has(g.title)} forceOpen={groupProblem}>
              <summary>
                {g.title} <span className="muted">({g.keys.length} settings)</span>
              </summary>
              <div className="fields">
                {g.keys.map((k) => {
                  const help = helpOf(k);
                  const choices = choicesOf(k);
                  return (
                    <Field
                      key={k}
                      name={k}
                      label={help.label}
                      doc={help.doc}
                      reference={help.reference}
                      value={form[k] ?? ""}
                      initial={String(pageDefault(k))}
                      {...(choices ? { choices } : {})}
                      invalid={problemsOf(k, problems).length > 0}
                    />
                  );
                })}
              </div>
            </ConfigGroup>
          );
        })}
      </fieldset>
      <div className="form-footer">
        <button type="button" onClick={resetForm} disabled={disabled}>
          Restore defaults
        </button>
        <label className="picker">
          Load a config (JSON){" "}
          <input type="file" accept=".json,application/json" disabled={disabled} onChange={(e) => void loadConfigFile(e.currentTarget)} />
        </label>
        {loadNote ? (
          <span className={loadNote.ok ? "muted" : "warning"} role={loadNote.ok ? undefined : "alert"} data-testid="config-load-note">
            {loadNote.text}
          </span>
        ) : null}
      </div>
      <div className="form-footer" role="group" aria-label="Scale out these settings">
        <RecipeButtons label="These settings on a cluster:" subject="settings" disabled={!formOk} save={(engine) => saveSettingsRecipe(engine, model)} />
      </div>
    </form>
  );
}
