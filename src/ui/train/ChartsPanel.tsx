// The grid of live training charts, one per metric of CHARTS; re-renders only when a step or an evaluation arrives.
import { CHARTS } from "./chartData";
import { MetricChart } from "./MetricChart";
import { type TrainState, useTrainStore } from "./trainStore";

const selectMetrics = (s: TrainState) => s.run.metrics;
const selectEvals = (s: TrainState) => s.run.evals;

export function ChartsPanel() {
  const metrics = useTrainStore(selectMetrics);
  const evals = useTrainStore(selectEvals);
  return (
    <section className="panel" aria-labelledby="charts-title">
      <h2 id="charts-title">Training curves</h2>
      {metrics.length === 0 && evals.length === 0 ? (
        <p className="muted">Each finished step adds a point; evaluations show as dashed points.</p>
      ) : null}
      <div className="charts">
        {CHARTS.map((spec) => (
          <MetricChart key={spec.id} spec={spec} metrics={metrics} evals={evals} />
        ))}
      </div>
    </section>
  );
}
