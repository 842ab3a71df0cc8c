// Checks the Data page's import actions in Node (no GPU, no network): a CSV read with a custom mapping into a draft
// with a skipped row, a bad file's error keeping the tasks in use, the datasets server's pages with progress,
// an offline error, cancelling, and peeking at column names. fetch is replaced by a fake datasets server.
import { afterEach, describe, expect, it, vi } from "vitest";
import { cancelImport, chooseImportFile, hfLabel, importFromHf, peekColumns, readChosenFile } from "./dataImport";
import { chooseDraftTasks, currentTaskSource, resetDataStore, setHfField, setMappingField, useDataStore } from "./dataStore";

afterEach(() => {
  resetDataStore();
  vi.unstubAllGlobals();
});

const CSV = ["query,label,src", "What is 2+2?,4,arith", "Capital of Zorbia?,,geo", '"Say ""hi""",hi,misc'].join("\n");

function draft() {
  return useDataStore.getState().draft;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

describe("file import", () => {
  it("reads a CSV with a custom mapping into a draft, with the skipped row and its reason", async () => {
    setMappingField("question", "query");
    setMappingField("answers", "label");
    setMappingField("data_source", "src");
    await chooseImportFile(new File([CSV], "mine.csv", { type: "text/csv" }));
    const d = draft();
    expect(d.status).toBe("ready");
    if (d.status !== "ready") return;
    expect(d.result.tasks.map((t) => [t.question, t.answers, t.data_source])).toEqual([
      ["What is 2+2?", ["4"], "arith"],
      ['Say "hi"', ["hi"], "misc"],
    ]);
    expect(d.result.skipped).toEqual([{ row: 3, reason: expect.stringMatching(/no gold answer/) as unknown as string }]);
  });

  it("reads the same file again when the mapping changes", async () => {
    await chooseImportFile(new File([CSV], "mine.csv"));
    expect(draft()).toMatchObject({ status: "error", message: expect.stringMatching(/no usable row/) as unknown as string });
    setMappingField("question", "query");
    setMappingField("answers", "label");
    await readChosenFile();
    expect(draft().status).toBe("ready");
  });

  it("shows the importer's error for a malformed file and keeps the tasks in use", async () => {
    await chooseImportFile(new File([CSV.replace("query,label,src", "question,answer,src")], "good.csv"));
    chooseDraftTasks();
    const before = currentTaskSource();
    await chooseImportFile(new File(["PAR1 this is not parquet"], "broken.parquet"));
    expect(draft()).toMatchObject({ status: "error", label: "broken.parquet" });
    expect(currentTaskSource()).toEqual(before);
    expect(before.kind).toBe("tasks");
  });

  it("names a file's columns from its first row (CSV and JSONL), and none for Parquet", async () => {
    expect(await peekColumns(new File([CSV], "a.csv"), "a.csv")).toEqual(["query", "label", "src"]);
    expect(await peekColumns(new File(['\n{"prompt":"x","golden_answers":["y"]}\n'], "a.jsonl"), "a.jsonl")).toEqual(["prompt", "golden_answers"]);
    expect(await peekColumns(new File(["PAR1"], "a.parquet"), "a.parquet")).toEqual([]);
  });
});

describe("Hugging Face import", () => {
  const rows = (offset: number, n: number) =>
    Array.from({ length: n }, (_, i) => ({ row_idx: offset + i, row: { question: `q${offset + i}`, answer: `so #### ${offset + i}` }, truncated_cells: [] }));

  it("reads pages through the datasets server and reports progress", async () => {
    const urls: string[] = [];
    const fetchMock = vi.fn((url: string) => {
      urls.push(url);
      const offset = Number(new URL(url).searchParams.get("offset"));
      return Promise.resolve(json(200, { features: [], rows: rows(offset, Math.min(100, 150 - offset)), num_rows_total: 150 }));
    });
    vi.stubGlobal("fetch", fetchMock);
    const seen: string[] = [];
    const unsubscribe = useDataStore.subscribe((s) => {
      if (s.draft.status === "reading") seen.push(`${s.draft.rowsRead}/${s.draft.total ?? "?"}`);
    });
    setHfField("dataset", "acme/toy");
    setHfField("config", "main");
    setHfField("split", "test");
    await importFromHf();
    unsubscribe();
    expect(urls[0]).toContain("/rows?dataset=acme%2Ftoy&config=main&split=test&offset=0&length=100");
    expect(seen).toContain("100/150");
    const d = draft();
    expect(d).toMatchObject({ status: "ready", label: "acme/toy (main/test)" });
    if (d.status === "ready") expect(d.result.tasks[149]).toMatchObject({ question: "q149", answers: ["149"] });
  });

  it("says it could not reach the server when offline", async () => {
    vi.stubGlobal("fetch", vi.fn(() => Promise.reject(new TypeError("Failed to fetch"))));
    await importFromHf();
    expect(draft()).toMatchObject({ status: "error", message: expect.stringMatching(/could not reach the Hugging Face datasets server.*online/) as unknown as string });
  });

  it("stops when cancelled and says so", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(
        (_url: string, init?: RequestInit) =>
          new Promise<Response>((_, reject) => {
            const abort = () => reject(new DOMException("aborted", "AbortError"));
            if (init?.signal?.aborted) abort();
            else init?.signal?.addEventListener("abort", abort);
          }),
      ),
    );
    const running = importFromHf();
    expect(draft().status).toBe("reading");
    await vi.waitFor(() => expect(fetch).toHaveBeenCalled());
    cancelImport();
    await running;
    expect(draft().status).toBe("cancelled");
  });

  it("labels an import by dataset, config and split", () => {
    expect(hfLabel(" openai/gsm8k ", "main", "train")).toBe("openai/gsm8k (main/train)");
    expect(hfLabel("Goer17/TAPO", "", "")).toBe("Goer17/TAPO");
  });
});
