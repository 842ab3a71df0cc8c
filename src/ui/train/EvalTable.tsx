// Held-out evaluation before training and at the latest evaluation, side by side with the change.
import type { EvalMetrics } from "../../protocol/run";
import { chartEvals, sampledEvals } from "./chartData";
import { type TrainState, useTrainStore } from "./trainStore";

const selectEvals = (s: TrainState) => s.run.evals;


type Row = { label: string; value: (e: EvalMetrics) => number; digits: number; percent?: boolean };

const ROWS: Row[] = [
  { label: "Accuracy", value: (e) => e.acc, digits: 1, percent: true },
  { label: "Reward", value: (e) => e.reward, digits: 3 },
  { label: "Tool calls per rollout", value: (e) => e.tool_calls, digits: 2 },
  { label: "… search", value: (e) => e.tool_calls_search, digits: 2 },
  { label: "… code", value: (e) => e.tool_calls_code, digits: 2 },
  { label: "Response tokens", value: (e) => e.response_tokens, digits: 0 },
  { label: "Tasks", value: (e) => e.n, digits: 0 },
];

function show(row: Row, v: number): string {
  return row.percent ? `${(v * 100).toFixed(row.digits)}%` : v.toFixed(row.digits);
}

function change(row: Row, before: number, after: number): string {
  const d = after - before;
  const sign = d > 0 ? "+" : d < 0 ? "−" : "±";
  return `${sign}${show(row, Math.abs(d))}`;
}

export function EvalTable() {
  const all = useTrainStore(selectEvals);
  const evals = chartEvals(all);
  const sampled = sampledEvals(all);
  const before = evals[0];
  const latest = evals.length > 1 ? evals.at(-1) : undefined;
  // The sampled evaluations at the same steps (avg@k, the learning benchmark's primary metric), when the run samples.
  const sampledBefore = before ? sampled.find((e) => e.step === before.step) : undefined;
  const sampledLatest = latest ? sampled.find((e) => e.step === latest.step) : undefined;
  return (
    <section className="panel" aria-labelledby="eval-title">
      <h2 id="eval-title">Evaluation</h2>
      {!before ? (
        <p className="muted">Held-out tasks are answered before training, every few steps, and after it.</p>
      ) : (
        <table className="eval-table" data-testid="eval-table">
          <thead>
            <tr>
              <th scope="col">{before.mode} answers</th>
              <th scope="col">{before.step === 0 ? "before" : `step ${before.step}`}</th>
              {latest ? <th scope="col">step {latest.step}</th> : null}
              {latest ? <th scope="col">change</th> : null}
            </tr>
          </thead>
          <tbody>
            {sampledBefore ? (
              <tr>
                <th scope="row">Accuracy avg@{sampledBefore.samples ?? 1} (sampled)</th>
                <td>{show(ROWS[0]!, sampledBefore.acc)}</td>
                {latest ? <td>{sampledLatest ? show(ROWS[0]!, sampledLatest.acc) : "–"}</td> : null}
                {latest ? <td>{sampledLatest ? change(ROWS[0]!, sampledBefore.acc, sampledLatest.acc) : "–"}</td> : null}
              </tr>
            ) : null}
            {ROWS.map((row) => (
              <tr key={row.label}>
                <th scope="row">{row.label}</th>
                <td>{show(row, row.value(before))}</td>
                {latest ? <td>{show(row, row.value(latest))}</td> : null}
                {latest ? <td>{change(row, row.value(before), row.value(latest))}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
