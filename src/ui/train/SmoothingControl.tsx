// The charts' smoothing slider: the weight of an exponential moving average
// over each per-step series (0: raw values; evaluations are never smoothed).
import { MAX_SMOOTHING } from "./chartLines";
import { setSmoothing } from "./chartViewStore";

export function SmoothingControl({ smoothing }: { smoothing: number }) {
  return (
    <label className="smoothing">
      Smoothing{" "}
      <input type="range" min={0} max={MAX_SMOOTHING} step={0.05} value={smoothing} onChange={(e) => setSmoothing(Number(e.currentTarget.value))} />{" "}
      <output data-testid="smoothing-value">{smoothing === 0 ? "off" : smoothing.toFixed(2)}</output>
    </label>
  );
}
