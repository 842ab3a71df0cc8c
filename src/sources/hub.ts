// Hugging Face Hub repositories as FileSets. A branch or tag is resolved to a
// commit once (`GET {endpoint}/api/models/{repo}/revision/{revision}` → sha),
// and everything is read at that commit, so a download that `main` moves under
// cannot mix two revisions: the file list from the Hub API
// (`GET {endpoint}/api/models/{repo}/tree/{commit}?recursive=true`, paged by a
// `Link: <…>; rel="next"` header), with each file's size, and each file through
// `{endpoint}/{repo}/resolve/{commit}/{path}` with Range requests.
import { type ByteSource, type FileSet } from "../io/source";
import { httpSourceOfSize, type HttpOptions } from "./http";

export const HUB_ENDPOINT = "https://huggingface.co";

export type HubOptions = {
  /** Branch, tag or commit (default "main"). */
  revision?: string;
  /** Hub base URL (default https://huggingface.co). */
  endpoint?: string;
  fetch?: typeof fetch;
  /** Retry settings passed to each file's httpSource. */
  retries?: number;
  retryDelayMs?: number;
};

/** The Hub has no (public) model of that id. */
export class HubModelNotFoundError extends Error {
  constructor(readonly repoId: string, revision: string) {
    const at = revision === "main" ? "" : ` at revision "${revision}"`;
    super(`no model named ${repoId}${at} on the Hugging Face Hub (or it is private/gated): check the id`);
    this.name = "HubModelNotFoundError";
  }
}

/** The text is not a Hub repo id ("owner/name"). */
export class HubIdError extends Error {
  constructor(text: string) {
    super(`"${text}" is not a Hugging Face model id: write it as owner/name, e.g. Qwen/Qwen2.5-0.5B-Instruct`);
    this.name = "HubIdError";
  }
}

const REPO_ID = /^[A-Za-z0-9][\w.-]*\/[\w.-]+$/;

/** Checks and trims a repo id such as "Qwen/Qwen2.5-0.5B"; throws HubIdError otherwise. */
export function parseRepoId(text: string): string {
  const id = text.trim();
  if (!REPO_ID.test(id) || id.includes("..")) throw new HubIdError(text);
  return id;
}

type TreeEntry = { type?: string; path?: string; size?: number; lfs?: { size?: number } };

/** The next page's URL from a `Link` header, if any. */
function nextLink(header: string | null, base: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(",")) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(part);
    if (m?.[1]) return new URL(m[1], base).toString();
  }
  return undefined;
}

/**
 * GET `url` from the Hub API for repo `id` at `revision`: an unreachable Hub and an unknown repo (404, 401,
 * 403) become errors that say what to do; `doing` names the request in other HTTP errors.
 */
async function hubApiGet(url: string, id: string, revision: string, opts: HubOptions, doing: string): Promise<Response> {
  const endpoint = (opts.endpoint ?? HUB_ENDPOINT).replace(/\/+$/, "");
  const fetcher = opts.fetch ?? globalThis.fetch.bind(globalThis);
  let res: Response;
  try {
    res = await fetcher(url);
  } catch (error) {
    throw new Error(
      `could not reach the Hugging Face Hub at ${endpoint} (${error instanceof Error ? error.message : String(error)}): ` +
        "check the connection, or load the model from files or the cache",
      { cause: error },
    );
  }
  if (res.status === 404 || res.status === 401 || res.status === 403) {
    res.body?.cancel().catch(() => undefined);
    throw new HubModelNotFoundError(id, revision);
  }
  if (!res.ok) throw new Error(`the Hugging Face Hub answered HTTP ${res.status} ${doing}: try again later`);
  return res;
}

/** Lists a repo's files with sizes: [{path, size}] (directories excluded). */
export async function listHubFiles(
  repoId: string,
  opts: HubOptions = {},
): Promise<{ path: string; size: number }[]> {
  const id = parseRepoId(repoId);
  const endpoint = (opts.endpoint ?? HUB_ENDPOINT).replace(/\/+$/, "");
  const revision = opts.revision ?? "main";
  const files: { path: string; size: number }[] = [];
  let url: string | undefined = `${endpoint}/api/models/${id}/tree/${encodeURIComponent(revision)}?recursive=true`;
  for (let page = 0; url && page < 100; page++) {
    const res = await hubApiGet(url, id, revision, opts, `listing ${id}`);
    const body = (await res.json()) as unknown;
    if (!Array.isArray(body)) throw new Error(`the Hugging Face Hub's file list for ${id} is not a JSON array`);
    for (const entry of body as TreeEntry[]) {
      if (entry.type !== "file" || typeof entry.path !== "string") continue;
      const size = entry.lfs?.size ?? entry.size;
      if (typeof size !== "number") throw new Error(`the Hub lists ${entry.path} in ${id} without a size`);
      files.push({ path: entry.path, size });
    }
    url = nextLink(res.headers.get("link"), url);
  }
  return files;
}

const COMMIT = /^[0-9a-f]{40}$/;

/** The commit `opts.revision` (default "main") points at now; a full commit sha is returned as it is. */
export async function resolveHubCommit(repoId: string, opts: HubOptions = {}): Promise<string> {
  const id = parseRepoId(repoId);
  const revision = opts.revision ?? "main";
  if (COMMIT.test(revision)) return revision;
  const endpoint = (opts.endpoint ?? HUB_ENDPOINT).replace(/\/+$/, "");
  const res = await hubApiGet(`${endpoint}/api/models/${id}/revision/${encodeURIComponent(revision)}`, id, revision, opts, `resolving ${id} at "${revision}"`);
  const sha = ((await res.json()) as { sha?: unknown } | null)?.sha;
  if (typeof sha !== "string" || !COMMIT.test(sha)) throw new Error(`the Hugging Face Hub did not say which commit "${revision}" of ${id} is`);
  return sha;
}

/** The resolve URL of one file: {endpoint}/{repo}/resolve/{revision}/{path}, path segments escaped. */
export function hubFileUrl(repoId: string, path: string, opts: Pick<HubOptions, "endpoint" | "revision"> = {}): string {
  const endpoint = (opts.endpoint ?? HUB_ENDPOINT).replace(/\/+$/, "");
  const revision = encodeURIComponent(opts.revision ?? "main");
  const escaped = path.split("/").map(encodeURIComponent).join("/");
  return `${endpoint}/${repoId}/resolve/${revision}/${escaped}`;
}

/**
 * A Hub repo as a FileSet labelled with its id: list() gives every file path, get(path) a Range-reading source.
 * Throws HubModelNotFoundError for an id the Hub does not know (404/401), HubIdError for a malformed id.
 */
export async function hubFileSet(repoId: string, opts: HubOptions = {}): Promise<FileSet> {
  const id = parseRepoId(repoId);
  const commit = await resolveHubCommit(id, opts);
  const at = { ...opts, revision: commit };
  const listed = await listHubFiles(id, at);
  const http: HttpOptions = { fetch: opts.fetch, retries: opts.retries, retryDelayMs: opts.retryDelayMs };
  const sources = new Map<string, ByteSource>();
  for (const { path, size } of listed) {
    sources.set(path, httpSourceOfSize(hubFileUrl(id, path, at), size, { ...http, name: path }));
  }
  return {
    label: id,
    commit,
    list: () => [...sources.keys()],
    get: (name) => sources.get(name),
  };
}

