// A labelled whole-number input that keeps what the user types (even while it
// is not yet a valid number), commits only valid values, and says what is wrong.
import { useId, useState } from "react";

type Props = {
  label: string;
  value: number;
  min: number;
  max: number;
  onCommit: (value: number) => void;
  name?: string;
};

export function WholeNumberField({ label, value, min, max, onCommit, name }: Props) {
  const [text, setText] = useState(String(value));
  const [shown, setShown] = useState(value);
  const errorId = useId();
  if (shown !== value) {
    // The committed value changed elsewhere (e.g. a reset): follow it, unless the text already means it.
    setShown(value);
    if (!(text.trim() !== "" && Number(text) === value)) setText(String(value));
  }
  const n = Number(text);
  const valid = text.trim() !== "" && Number.isInteger(n) && n >= min && n <= max;
  return (
    <label className="number-field">
      <span>{label}</span>
      <input
        type="number"
        inputMode="numeric"
        name={name}
        min={min}
        max={max}
        step={1}
        value={text}
        aria-invalid={!valid}
        aria-describedby={valid ? undefined : errorId}
        onChange={(e) => {
          const next = e.currentTarget.value;
          setText(next);
          const v = Number(next);
          if (next.trim() !== "" && Number.isInteger(v) && v >= min && v <= max) onCommit(v);
        }}
      />
      {valid ? null : (
        <span id={errorId} className="field-error">
          a whole number from {min} to {max}
        </span>
      )}
    </label>
  );
}
