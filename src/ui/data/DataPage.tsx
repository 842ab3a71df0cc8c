// The Data page: which tasks training uses (built-in, or imported from a file
// or a Hugging Face dataset with a held-out test split) and how the search tool searches.
import { BuiltinTasksPanel } from "./BuiltinTasksPanel";
import { ImportPanel } from "./ImportPanel";
import { SearchPanel } from "./SearchPanel";
import { TaskSourceSummary } from "./TaskSourceSummary";
import "./data.css";

export function DataPage() {
  return (
    <div className="data-page">
      <section className="panel" aria-labelledby="page-title">
        <h2 id="page-title">Data</h2>
        <p>
          The questions the model practises on, with their gold answers, and the documents its search tool looks in. Train
          tasks are for updates; test tasks are held out for the evaluations before, during and after training.
        </p>
        <TaskSourceSummary />
      </section>
      <BuiltinTasksPanel />
      <ImportPanel />
      <SearchPanel />
    </div>
  );
}
