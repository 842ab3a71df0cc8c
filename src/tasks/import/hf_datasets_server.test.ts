// Checks Hugging Face import against a real local HTTP server started here that speaks the datasets server's /splits and /rows format (Node, no GPU, no network): paging, row numbers of skipped rows, truncated cells, maxTasks, the errors for a missing dataset and an unreachable server, and the cap on one answer's size.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshSeed, mulberry32 } from "../../util/random.ts";
import { DatasetTooLargeError, HfDatasetNotFoundError, HfServerError } from "./errors.ts";
import { importHfDataset } from "./hf_datasets_server.ts";
import { MAX_HF_RESPONSE_BYTES } from "./limits.ts";

type Row = Record<string, unknown>;
const seed = freshSeed();
const rand = mulberry32(seed);
const TOTAL = 237;
// Every row with row_idx % 10 === 3 has no answer; row 50's question is truncated.
const rows: Row[] = Array.from({ length: TOTAL }, (_, i) => (i % 10 === 3 ? { question: `q${i}` } : { question: `q${i}`, answer: `Work.\n#### ${Math.floor(rand() * 1000)}` }));
const requests: URLSearchParams[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url!, "http://localhost");
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const q = url.searchParams;
    if (q.get("dataset") === "acme/huge") {
      // A body past the answer cap, of spaces (so it would still parse as nothing useful): with its length declared or streamed.
      const mib = Buffer.alloc(1 << 20, 0x20);
      const chunks = MAX_HF_RESPONSE_BYTES / mib.length + 8;
      res.on("error", () => undefined);
      res.writeHead(200, { "content-type": "application/json", ...(q.get("config") === "declared" ? { "content-length": String(chunks * mib.length) } : {}) });
      for (let i = 0; i < chunks; i++) res.write(mib);
      return res.end();
    }
    if (q.get("dataset") !== "acme/toy-math") {
      return send(404, { error: "The dataset does not exist, or is not accessible without authentication (private or gated). Please check the spelling of the dataset name or retry with authentication." });
    }
    if (url.pathname === "/splits") {
      return send(200, { splits: [{ dataset: "acme/toy-math", config: "main", split: "train" }, { dataset: "acme/toy-math", config: "main", split: "test" }], pending: [], failed: [] });
    }
    if (url.pathname !== "/rows") return send(404, { error: "Not found." });
    requests.push(q);
    const offset = Number(q.get("offset"));
    const length = Number(q.get("length"));
    if (q.get("config") !== "main" || q.get("split") !== "train") return send(404, { error: "The config or the split does not exist in the dataset" });
    if (!(length >= 1 && length <= 100)) return send(422, { error: "Parameter 'length' must be between 1 and 100" });
    const slice = rows.slice(offset, offset + length).map((row, k) => ({
      row_idx: offset + k,
      row: offset + k === 50 ? { ...row, question: "q5" } : row,
      truncated_cells: offset + k === 50 ? ["question"] : [],
    }));
    send(200, {
      features: [{ feature_idx: 0, name: "question", type: { dtype: "string", _type: "Value" } }, { feature_idx: 1, name: "answer", type: { dtype: "string", _type: "Value" } }],
      rows: slice,
      num_rows_total: TOTAL,
      num_rows_per_page: 100,
      partial: false,
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
);

describe("Hugging Face datasets server import", () => {
  it("pages through a whole split, finding the config, and reports skipped rows by row index + 1", async () => {
    requests.length = 0;
    const progress: number[] = [];
    const result = await importHfDataset({ dataset: "acme/toy-math", baseUrl: base, onProgress: (n) => progress.push(n) });
    expect(requests.map((q) => [q.get("offset"), q.get("length")]), `seed ${seed}`).toEqual([["0", "100"], ["100", "100"], ["200", "100"]]);
    expect(progress).toEqual([100, 200, TOTAL]);
    const usable = rows.map((r, i) => ({ r, i })).filter(({ r, i }) => r.answer !== undefined && i !== 50);
    expect(result.tasks.map((t) => t.question)).toEqual(usable.map(({ r }) => r.question));
    expect(result.tasks.map((t) => t.answers[0])).toEqual(usable.map(({ r }) => String(r.answer).split("#### ")[1]));
    expect(result.tasks[0]).toMatchObject({ id: "acme/toy-math#1", data_source: "acme/toy-math" });
    expect(result.rowsRead).toBe(TOTAL);
    const missing = rows.map((_, i) => i).filter((i) => i % 10 === 3);
    expect(result.skipped.map((s) => s.row)).toEqual([...missing.filter((i) => i < 50), 50, ...missing.filter((i) => i > 50)].map((i) => i + 1));
    expect(result.skipped.find((s) => s.row === 51)!.reason).toMatch(/truncated question/);
  });

  it("starts at an offset and stops after maxTasks without reading further pages", async () => {
    requests.length = 0;
    const result = await importHfDataset({ dataset: "acme/toy-math", config: "main", split: "train", offset: 120, maxTasks: 5, baseUrl: base });
    expect(result.tasks.map((t) => t.question)).toEqual(["q120", "q121", "q122", "q124", "q125"]);
    expect(requests).toHaveLength(1);
  });

  it("says clearly when the dataset or the split does not exist", async () => {
    const error = await importHfDataset({ dataset: "acme/nope", baseUrl: base }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HfDatasetNotFoundError);
    expect((error as Error).message).toMatch(/no dataset "acme\/nope".*does not exist.*check the spelling/);
    await expect(importHfDataset({ dataset: "acme/toy-math", split: "validation", baseUrl: base })).rejects.toThrow(/no split "validation"; config\/split pairs: main\/train, main\/test/);
    await expect(importHfDataset({ dataset: "not a dataset id", baseUrl: base })).rejects.toThrow(/owner\/name/);
  });

  it("says so when the server cannot be reached", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(importHfDataset({ dataset: "acme/toy-math", baseUrl: `http://127.0.0.1:${port}` })).rejects.toThrow(HfServerError);
    await expect(importHfDataset({ dataset: "acme/toy-math", baseUrl: `http://127.0.0.1:${port}` })).rejects.toThrow(/could not reach.*online/);
  });

  it("refuses an answer over the size cap: by its Content-Length before reading it, else once the stream passes the cap", async () => {
    const declared = await importHfDataset({ dataset: "acme/huge", config: "declared", split: "train", baseUrl: base }).catch((e: unknown) => e);
    expect(declared).toBeInstanceOf(DatasetTooLargeError);
    expect((declared as Error).message).toMatch(
      new RegExp(`answer to .*/rows\\?dataset=acme%2Fhuge.* declares ${MAX_HF_RESPONSE_BYTES + (8 << 20)} bytes \\(Content-Length\\), over TAPO Studio's limit of 32 MiB \\(${MAX_HF_RESPONSE_BYTES} bytes\\)`),
    );
    const streamed = await importHfDataset({ dataset: "acme/huge", config: "chunked", split: "train", baseUrl: base }).catch((e: unknown) => e);
    expect(streamed).toBeInstanceOf(DatasetTooLargeError);
    expect((streamed as Error).message).toMatch(new RegExp(`runs past TAPO Studio's limit of 32 MiB \\(${MAX_HF_RESPONSE_BYTES} bytes\\) for one page of rows`));
  });
});
