// Where the trainer worker's model comes from, as plain data that crosses into
// the worker (File objects are structured-cloneable; the browser's private file
// system is reachable from workers), and how the worker turns it into a
// FileSet. Every kind reaches the same loader (src/loader/load_model.ts).
import { blobSource, type FileSet, fileSet } from "../io/source";
import { cachedFileSet } from "../sources/cache";
import { hubFileSet } from "../sources/hub";
import { urlModelFileSet } from "../sources/url";

export type WorkerModelSource =
  | { kind: "cached"; id: string }
  | { kind: "hub"; repo: string; revision?: string }
  | { kind: "url"; url: string }
  | { kind: "files"; label: string; files: { name: string; blob: Blob }[] }
  /** The bundled tiny model, served with the app under models/tiny/. */
  | { kind: "bundled" };

/** Where the app serves the bundled tiny model (the folder `public/models/tiny/`). */
export function bundledModelUrl(): string {
  const base = import.meta.env?.BASE_URL ?? "/";
  return new URL(`${base}models/tiny/`, globalThis.location?.href ?? "http://localhost/").toString();
}

/** A short label for the UI. */
export function describeSource(source: WorkerModelSource): string {
  switch (source.kind) {
    case "cached":
      return source.id;
    case "hub":
      return source.repo;
    case "url":
      return source.url;
    case "files":
      return source.label;
    case "bundled":
      return "tiny";
  }
}

/** The files of a source, read lazily through range reads. */
export async function filesOfSource(source: WorkerModelSource): Promise<FileSet> {
  switch (source.kind) {
    case "cached":
      return cachedFileSet(source.id);
    case "hub":
      return hubFileSet(source.repo, source.revision ? { revision: source.revision } : {});
    case "url":
      return urlModelFileSet(source.url);
    case "files":
      return fileSet(source.label, source.files.map((f) => blobSource(f.name, f.blob)));
    case "bundled":
      return { ...(await urlModelFileSet(bundledModelUrl())), label: "tiny" };
  }
}
