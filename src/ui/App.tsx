// The app shell: header, navigation between the studio's places, and the page for the current route.
import { NoWebGpu } from "./NoWebGpu";
import { ModelPage } from "./pages/ModelPage";
import { PlannedPage } from "./pages/PlannedPage";
import { PlaygroundPage } from "./playground/PlaygroundPage";
import { PAGES, hrefFor, type Route, useRoute } from "./route";
import { useAppStore } from "./store";

function PageFor({ route }: { route: Route }) {
  switch (route.page) {
    case "model":
      return <ModelPage />;
    case "data":
      return (
        <PlannedPage title="Data">
          Built-in tool-use tasks, and your own JSONL, CSV or Parquet datasets; the search corpus and search backend.
        </PlannedPage>
      );
    case "train":
      return (
        <PlannedPage title="Train">
          DAPO settings, live charts of reward, accuracy and tool calls, and each rollout streamed as it is written.
        </PlannedPage>
      );
    case "playground":
      return <PlaygroundPage />;
    case "traces":
      return <PlannedPage title="Traces">Every rollout of a run, filterable, each with a permalink.</PlannedPage>;
    case "permalink":
      return (
        <PlannedPage title="Shared trace">Trace permalinks open here without loading a model.</PlannedPage>
      );
    case "not-found":
      return (
        <section className="panel" role="alert">
          <h2>No such page</h2>
          <p>
            Nothing lives at <code>{route.hash}</code>. Go to the <a href={hrefFor("model")}>Model page</a>.
          </p>
        </section>
      );
  }
}

export function App() {
  const route = useRoute();
  const gpu = useAppStore((s) => s.gpu);
  const current = route.page;
  return (
    <div className="app">
      <header className="app-header">
        <h1>
          <a href={hrefFor("model")}>TAPO Studio</a>
        </h1>
        <nav aria-label="Studio">
          <ul>
            {PAGES.map((p) => (
              <li key={p.id}>
                <a href={hrefFor(p.id)} aria-current={current === p.id ? "page" : undefined}>
                  {p.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main className="app-main">
        {gpu.status === "unavailable" && route.page !== "permalink" ? (
          <NoWebGpu message={gpu.message} />
        ) : (
          <PageFor route={route} />
        )}
      </main>
    </div>
  );
}
