// Checks the search tool (Node, no GPU): response format, snippet trimming, query length checks, top-k, the no-results text, the cache (hits, per backend, bound, shared in-flight calls) and the ToolRunner adapter.
import { describe, expect, it } from "vitest";
import { formatSearchResults, NO_RESULTS_TEXT, trimSnippet } from "./format_results.ts";
import { LocalIndex, LocalSearchBackend } from "./local_index.ts";
import { SearchTool } from "./search_tool.ts";
import { PYTHON_UNAVAILABLE_TEXT, SearchToolRunner } from "./search_runner.ts";
import { SearchBackendError, type SearchBackend, type SearchHit } from "./types.ts";

const DOCS = [
  { id: "1", title: "Orvel", text: "Orvel is a city on the Tamsk river, founded in 1203." },
  { id: "2", title: "Tamsk", text: "The Tamsk river flows north through Orvel and Pellin." },
  { id: "3", title: "Pellin", text: "Pellin is a market town with 4,000 inhabitants." },
  { id: "4", title: "Quarry", text: "Granite from the quarry built Orvel's bridges." },
];

/** A backend over a real local index that counts its calls. */
class CountingBackend implements SearchBackend {
  calls: string[] = [];
  private readonly inner: LocalSearchBackend;
  constructor(
    readonly id: string,
    docs = DOCS,
  ) {
    this.inner = new LocalSearchBackend(LocalIndex.fromDocs(docs));
  }
  async search(query: string, k: number): Promise<SearchHit[]> {
    this.calls.push(query);
    return this.inner.search(query, k);
  }
}

describe("formatSearchResults", () => {
  it("writes one `Doc i: (Title: …) snippet` line per hit", () => {
    const text = formatSearchResults([
      { title: "Alpha", text: "first  text\nhere" },
      { title: "Beta Gamma", text: "second" },
    ]);
    expect(text).toBe("Doc 1: (Title: Alpha) first text here\nDoc 2: (Title: Beta Gamma) second");
    expect(formatSearchResults([])).toBe(NO_RESULTS_TEXT);
  });

  it("cuts long snippets at a word boundary", () => {
    const words = Array.from({ length: 200 }, (_, i) => `w${i}`).join(" ");
    const cut = trimSnippet(words, 50);
    expect(cut.endsWith("…")).toBe(true);
    expect(cut.length).toBeLessThanOrEqual(51);
    const kept = cut.slice(0, -1).split(" ");
    expect(kept).toEqual(words.split(" ").slice(0, kept.length));
    expect(trimSnippet("short text", 50)).toBe("short text");
  });
});

describe("SearchTool", () => {
  it("answers with the top k documents, formatted", async () => {
    const backend = new CountingBackend("local");
    const tool = new SearchTool(backend, { topK: 2 });
    const result = await tool.run("  Tamsk   river ");
    expect(result.error).toBeUndefined();
    const lines = result.response.split("\n");
    expect(lines.length).toBe(2);
    expect(lines[0]).toBe(`Doc 1: (Title: Tamsk) ${DOCS[1]!.text}`);
    expect(lines[1]).toMatch(/^Doc 2: \(Title: Orvel\) /);
    expect(backend.calls).toEqual(["Tamsk river"]);
    const top1 = await new SearchTool(backend, { topK: 1 }).run("granite quarry");
    expect(top1.response).toBe(`Doc 1: (Title: Quarry) ${DOCS[3]!.text}`);
  });

  it("returns the fixed text when nothing matches", async () => {
    const result = await new SearchTool(new CountingBackend("local")).run("xylophone");
    expect(result).toMatchObject({ response: NO_RESULTS_TEXT });
    expect(result.error).toBeUndefined();
  });

  it("rejects queries under 3 or over 300 characters without calling the backend", async () => {
    const backend = new CountingBackend("local");
    const tool = new SearchTool(backend);
    const short = await tool.run(" ab ");
    expect(short.error).toBe("rejected");
    expect(short.response).toMatch(/at least 3/);
    const long = await tool.run("a".repeat(301));
    expect(long.error).toBe("rejected");
    expect(long.response).toMatch(/at most 300/);
    expect((await tool.run("abc")).error).toBeUndefined();
    expect((await tool.run("b".repeat(300))).error).toBeUndefined();
    expect(backend.calls.length).toBe(2);
  });

  it("answers a repeated query from the cache, per backend", async () => {
    const a = new CountingBackend("a");
    const b = new CountingBackend("b", [{ id: "x", title: "Elsewhere", text: "Orvel in another corpus." }]);
    const tool = new SearchTool(a);
    const first = await tool.run("Orvel bridges");
    const again = await tool.run("Orvel  bridges");
    expect(again.response).toBe(first.response);
    expect(a.calls).toEqual(["Orvel bridges"]);
    expect(tool.stats).toEqual({ cacheHits: 1, backendCalls: 1 });
    tool.backend = b;
    const other = await tool.run("Orvel bridges");
    expect(b.calls.length).toBe(1);
    expect(other.response).toMatch(/Elsewhere/);
    tool.backend = a;
    await tool.run("Orvel bridges");
    expect(a.calls.length).toBe(1);
  });

  it("shares one backend call among identical concurrent queries and keeps the cache bounded", async () => {
    const backend = new CountingBackend("local");
    const tool = new SearchTool(backend, { cacheEntries: 2 });
    const results = await Promise.all([tool.run("Pellin market"), tool.run("Pellin market"), tool.run("Pellin market")]);
    expect(new Set(results.map((r) => r.response)).size).toBe(1);
    expect(backend.calls.length).toBe(1);
    await tool.run("Orvel city");
    await tool.run("Tamsk north");
    await tool.run("Pellin market"); // evicted by the two before it
    expect(backend.calls).toEqual(["Pellin market", "Orvel city", "Tamsk north", "Pellin market"]);
  });

  it("reports backend failures as error responses and does not cache them", async () => {
    let fail = true;
    const backend: SearchBackend = {
      id: "flaky",
      async search() {
        if (fail) throw new SearchBackendError("unreachable", "search backend unreachable: test");
        return [{ title: "Back", text: "up again" }];
      },
    };
    const tool = new SearchTool(backend);
    expect(await tool.run("anything")).toMatchObject({ response: "search backend unreachable: test", error: "unreachable" });
    fail = false;
    expect(await tool.run("anything")).toMatchObject({ response: "Doc 1: (Title: Back) up again" });
  });

  it("reports an aborted call as aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await new SearchTool(new LocalSearchBackend(LocalIndex.fromDocs(DOCS))).run("Orvel", controller.signal);
    expect(result.error).toBe("aborted");
  });
});

describe("SearchToolRunner", () => {
  it("routes search calls to the tool and reports Python missing", async () => {
    const runner = new SearchToolRunner(new SearchTool(new CountingBackend("local"), { topK: 1 }));
    const search = await runner.run({ tool: "search", text: "granite quarry" }, "rollout-1");
    expect(search.response).toBe(`Doc 1: (Title: Quarry) ${DOCS[3]!.text}`);
    expect(search.ms).toBeGreaterThanOrEqual(0);
    const python = await runner.run({ tool: "python", text: "print(1)" }, "rollout-1");
    expect(python).toMatchObject({ response: PYTHON_UNAVAILABLE_TEXT, error: "unavailable" });
    expect(runner.endSession("rollout-1")).toBeUndefined();
  });

  it("hands Python calls to the given runner", async () => {
    const seen: string[] = [];
    const python = {
      async run(call: { text: string }, session: string) {
        seen.push(`${session}:${call.text}`);
        return { response: "1", ms: 0 };
      },
      endSession(session: string) {
        seen.push(`end:${session}`);
      },
    };
    const runner = new SearchToolRunner(new SearchTool(new CountingBackend("local")), python);
    expect((await runner.run({ tool: "python", text: "print(1)" }, "r2")).response).toBe("1");
    await runner.endSession("r2");
    expect(seen).toEqual(["r2:print(1)", "end:r2"]);
  });
});
