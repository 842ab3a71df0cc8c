// "Scale out" buttons: save an experiment as a verl or a TRL recipe (.zip), then show the notes the recipe
// carries (settings without a counterpart, what changed for a cluster), which its README repeats.
import { useState } from "react";
import type { Engine } from "../../recipe/settings_map";

const ENGINES: [Engine, string, string][] = [
  ["verl", "verl recipe (.zip)", "verl's DAPO recipe"],
  ["trl", "TRL recipe (.zip)", "TRL's GRPOTrainer"],
];

type Props = {
  /** What the buttons save, e.g. "Scale out:". */
  label: string;
  /** Saves the recipe for `engine`; resolves with its notes, or undefined when it was not saved (the page says why). */
  save: (engine: Engine) => Promise<string[] | undefined>;
  disabled?: boolean;
  /** Which experiment the notes belong to: they are dropped when it changes. */
  subject: string;
};

export function RecipeButtons({ label, save, disabled = false, subject }: Props) {
  const [saved, setSaved] = useState<{ subject: string; engine: Engine; notes: string[] } | undefined>(undefined);
  return (
    <>
      <span className="muted">{label}</span>
      {ENGINES.map(([engine, text, what]) => (
        <button
          type="button"
          key={engine}
          disabled={disabled}
          title={`the same experiment for ${what} on a cluster: data, reward, tools, config and run.sh (npx tapo recipe writes the same)`}
          onClick={() => void save(engine).then((notes) => notes && setSaved({ subject, engine, notes }))}
        >
          {text}
        </button>
      ))}
      {saved && saved.subject === subject ? (
        <details className="recipe-notes" data-testid="recipe-notes">
          <summary>
            The {saved.engine === "verl" ? "verl" : "TRL"} recipe is saved, with {saved.notes.length} note{saved.notes.length === 1 ? "" : "s"} (also in its README)
          </summary>
          <ul>
            {saved.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </details>
      ) : null}
    </>
  );
}
