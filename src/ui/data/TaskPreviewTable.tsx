// A few tasks as a table: question, gold answers, category (or grading kind) and source. Text only, never HTML.
import type { Task } from "../../protocol/tasks";

type Props = { caption: string; tasks: readonly Task[]; limit?: number; testId?: string };

export function TaskPreviewTable({ caption, tasks, limit = 6, testId }: Props) {
  const shown = tasks.slice(0, limit);
  return (
    <table className="task-table" data-testid={testId}>
      <caption>
        {caption}{" "}
        <span className="muted">
          (first {shown.length} of {tasks.length})
        </span>
      </caption>
      <thead>
        <tr>
          <th scope="col">Question</th>
          <th scope="col">Gold answers</th>
          <th scope="col">Category / kind</th>
          <th scope="col">Source</th>
        </tr>
      </thead>
      <tbody>
        {shown.map((t) => (
          <tr key={t.id}>
            <td className="question-cell">{t.question}</td>
            <td>
              <ul className="answers">
                {t.answers.map((a, i) => (
                  <li key={i}>{a}</li>
                ))}
              </ul>
            </td>
            <td>{t.category ?? t.kind ?? <span className="muted">any (exact match)</span>}</td>
            <td className="muted">{t.data_source}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
