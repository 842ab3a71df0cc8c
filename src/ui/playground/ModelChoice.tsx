// Says which model answers the Playground's question: the adapter of the last run trained
// in this tab (optionally compared with the base model, side by side), or the base model.
import type { PlaygroundAdapter } from "../../trainer/playground";
import { setCompare } from "./playgroundStore";

export function ModelChoice({ adapter, compare, disabled }: { adapter: PlaygroundAdapter | undefined; compare: boolean; disabled: boolean }) {
  if (!adapter) {
    return (
      <p className="model-choice muted" data-testid="model-choice">
        The base model answers. Training a run on the Train page gives an adapter to compare with: it stays in this tab, and
        its answers can then be shown beside the base model&apos;s.
      </p>
    );
  }
  return (
    <div className="model-choice" data-testid="model-choice">
      <p>
        The trained adapter of <strong>{adapter.runId}</strong> (step {adapter.step}) answers.
      </p>
      <p className="compare-row">
        <label className="compare-toggle">
          <input type="checkbox" checked={compare} disabled={disabled} onChange={(e) => setCompare(e.currentTarget.checked)} />
          Compare with the base model
        </label>{" "}
        <span className="muted">— the same seed and settings; the base model answers after the adapter, side by side with it.</span>
      </p>
    </div>
  );
}
