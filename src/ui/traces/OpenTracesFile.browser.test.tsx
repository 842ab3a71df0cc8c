// Checks "Open traces.jsonl" in a real browser: a traces file over the size cap is refused with a message naming
// the cap before any of it is read, and a small file still loads into the store. Needs a browser (headless Chromium), no GPU.
import { act } from "react";
import { createRoot } from "react-dom/client";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MAX_TRACES_FILE_BYTES } from "../../traces/read_file";
import { OpenTracesFile } from "./OpenTracesFile";
import { resetTracesStore, useTracesStore } from "./tracesStore";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** Renders the control and "chooses" `file` in it, as the file picker would. */
async function choose(file: File): Promise<HTMLElement> {
  const host = document.body.appendChild(document.createElement("div"));
  await act(async () => createRoot(host).render(<OpenTracesFile />));
  const input = host.querySelector<HTMLInputElement>("input[type=file]")!;
  const picked = new DataTransfer();
  picked.items.add(file);
  input.files = picked.files;
  await act(async () => {
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });
  // The file is read asynchronously; each act() lets React render what arrived meanwhile.
  const note = () => host.querySelector<HTMLElement>("[data-testid=traces-file-note]");
  for (let i = 0; i < 250 && !note(); i++) await act(() => new Promise<void>((resolve) => setTimeout(resolve, 20)));
  expect(note(), "no note after 5 s").not.toBeNull();
  return note()!;
}

describe("OpenTracesFile", () => {
  afterEach(() => {
    document.body.innerHTML = "";
    vi.restoreAllMocks();
    resetTracesStore();
  });

  it("refuses a file over the cap without reading it, naming the cap", async () => {
    // 1 MiB past the cap, made of one 1 MiB Blob repeated: the browser shares its bytes, nothing large is allocated.
    const mib = new Blob([new Uint8Array(1 << 20)]);
    const file = new File(Array.from({ length: MAX_TRACES_FILE_BYTES / (1 << 20) + 1 }, () => mib), "huge.jsonl");
    const reads = ["text", "arrayBuffer", "stream", "slice"].map((m) => vi.spyOn(Blob.prototype, m as "text"));
    const note = await choose(file);
    expect(note.getAttribute("role")).toBe("alert");
    expect(note.textContent).toBe(
      `huge.jsonl is 257 MiB (${file.size} bytes), over the 256 MiB limit for a traces file opened here. ` +
        "Open part of it, e.g. the last 5000 traces: `tail -n 5000 huge.jsonl > last.jsonl`.",
    );
    for (const spy of reads) expect(spy).not.toHaveBeenCalled();
    expect(useTracesStore.getState().runOrder).toEqual([]);
  });

  it("still loads a small file, line by line, into a run named after it", async () => {
    const trace = { v: 1, model: "tiny", question: "What is 6 × 7?", segments: [{ kind: "answer", text: "42" }], created: "2025-01-01T00:00:00.000Z" };
    const note = await choose(new File([`${JSON.stringify(trace)}\nnope\n${JSON.stringify({ ...trace, step: 1 })}\n`], "run.jsonl"));
    expect(note.textContent).toBe("Loaded 2 traces from run.jsonl; skipped 1 bad line (line 2: not JSON).");
    expect(useTracesStore.getState().runs["run.jsonl"]!.map((t) => t.step)).toEqual([undefined, 1]);
  });
});
