// The app shell: header, navigation between the studio's places, and the page for the current route.
import { DataPage } from "./data/DataPage";
import { NoWebGpu } from "./NoWebGpu";
import { ModelPage } from "./model/ModelPage";
import { PlaygroundPage } from "./playground/PlaygroundPage";
import { PAGES, hrefFor, type Route, useRoute } from "./route";
import { useAppStore } from "./store";
import { PermalinkPage } from "./traces/PermalinkPage";
import { TracesPage } from "./traces/TracesPage";
import { TrainPage } from "./train/TrainPage";

function PageFor({ route }: { route: Route }) {
  switch (route.page) {
    case "model":
      return <ModelPage />;
    case "data":
      return <DataPage />;
    case "train":
      return <TrainPage />;
    case "playground":
      return <PlaygroundPage />;
    case "traces":
      return <TracesPage />;
    case "permalink":
      return <PermalinkPage payload={route.payload} />;
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
