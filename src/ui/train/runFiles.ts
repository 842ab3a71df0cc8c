// What the Train page saves for a run, outside the browser: the PEFT adapter
// (into a folder the user picks, through the File System Access API where the
// browser has it, or as a .zip download everywhere), traces.jsonl,
// metrics.jsonl and evals.jsonl as `tapo train --out` writes them, metrics as
// CSV, and the DAPO settings as the JSON `tapo train --config` takes.
import { zipSync } from "fflate";
import type { RunExport, StepMetrics } from "../../protocol/run";


function csvCell(value: unknown): string {
  if (value === undefined || value === null) return "";
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Step metrics as CSV: one row a step, one column per field any step has (step first). */
export function metricsCsv(metrics: readonly StepMetrics[]): string {
  const columns = ["step", ...new Set(metrics.flatMap((m) => Object.keys(m)).filter((k) => k !== "step"))];
  const rows = metrics.map((m) => columns.map((c) => csvCell((m as Record<string, unknown>)[c])).join(","));
  return [columns.join(","), ...rows].join("\n") + "\n";
}

/** The config file `tapo train --config` reads, pretty-printed. */
export function configJson(exported: Pick<RunExport, "config">): string {
  return `${JSON.stringify(exported.config, null, 2)}\n`;
}

/** The adapter folder's name: the run and the checkpoint's step. */
export function adapterFolderName(exported: Pick<RunExport, "runId" | "step">): string {
  return `${exported.runId}-step${exported.step}-adapter`;
}

/** The adapter as a .zip holding one folder of its PEFT files. */
export function adapterZip(exported: RunExport): Uint8Array {
  const folder = adapterFolderName(exported);
  return zipSync(Object.fromEntries(Object.entries(exported.adapter).map(([name, bytes]) => [`${folder}/${name}`, bytes])));
}

/** Starts a download of `data` as `name`. */
export function download(name: string, data: Uint8Array | string, type: string): void {
  const blob = new Blob([typeof data === "string" ? data : (data as Uint8Array<ArrayBuffer>)], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

type DirectoryPicker = (options?: { mode?: "readwrite" }) => Promise<FileSystemDirectoryHandle>;

/** The File System Access API's folder picker, where this browser has one. */
export function folderPicker(): DirectoryPicker | undefined {
  const picker = (globalThis as { showDirectoryPicker?: DirectoryPicker }).showDirectoryPicker;
  return typeof picker === "function" ? picker.bind(globalThis) : undefined;
}

/** Writes the adapter's files into a new folder inside one the user picks; resolves with that folder's name. */
export async function saveAdapterToFolder(exported: RunExport, pick: DirectoryPicker): Promise<string> {
  const parent = await pick({ mode: "readwrite" });
  const name = adapterFolderName(exported);
  const folder = await parent.getDirectoryHandle(name, { create: true });
  for (const [file, bytes] of Object.entries(exported.adapter)) {
    const writable = await (await folder.getFileHandle(file, { create: true })).createWritable();
    await writable.write(bytes as Uint8Array<ArrayBuffer>);
    await writable.close();
  }
  return `${parent.name}/${name}`;
}
