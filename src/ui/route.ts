// Hash routes: #/model, #/data, #/train, #/playground, #/traces, and #/t/<payload>
// for trace permalinks. Hash routing keeps permalinks working on any static host.
import { useSyncExternalStore } from "react";

/** The pages in the order of the loop a first run follows: a model, try it, tasks, train, read the traces. */
export const PAGES = [
  { id: "model", title: "Model" },
  { id: "playground", title: "Playground" },
  { id: "data", title: "Data" },
  { id: "train", title: "Train" },
  { id: "traces", title: "Traces" },
] as const;
export type PageId = (typeof PAGES)[number]["id"];

export type Route = { page: PageId } | { page: "permalink"; payload: string } | { page: "not-found"; hash: string };

/** Parses a location hash ("" and "#/" are the Model page). */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, "");
  if (path === "") return { page: "model" };
  if (path.startsWith("t/")) return { page: "permalink", payload: path.slice(2) };
  const page = PAGES.find((p) => p.id === path);
  return page ? { page: page.id } : { page: "not-found", hash };
}

export function hrefFor(page: PageId): string {
  return `#/${page}`;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
}

/** The current route, re-rendering on hash changes. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
