// Random-access byte sources: the one interface every model file is read
// through, whether it is a File the user dropped, a URL (HTTP Range requests),
// the Hugging Face Hub, a cached copy, or a folder the command line serves.
// Readers pull only the ranges they need, so no whole file is ever in memory.

export interface ByteSource {
  /** The file's name (for messages), e.g. "model-00001-of-00002.safetensors". */
  readonly name: string;
  /** Total size in bytes. */
  readonly size: number;
  /** Bytes [offset, offset + length); throws TruncatedFileError when the file ends first. */
  read(offset: number, length: number, signal?: AbortSignal): Promise<Uint8Array>;
}

/** A model folder: named files, each a ByteSource (hub repo, dropped folder, served folder). */
export interface FileSet {
  /** A short description for messages: "Qwen/Qwen2.5-0.5B", "the dropped folder", a path. */
  readonly label: string;
  /** The exact revision the files were read at (a Hub commit), when the source has one. */
  readonly commit?: string;
  /** File names (relative paths) available. */
  list(): string[];
  /** The file, or undefined when the set has none of that name. */
  get(name: string): ByteSource | undefined;
}

/** A read past the end of a file: the download or copy was cut. */
export class TruncatedFileError extends Error {
  constructor(file: string, wanted: number, size: number) {
    super(
      `${file} ends at byte ${size} but ${wanted} bytes are needed: the file is truncated (an interrupted download or copy). ` +
        "Delete it (and its cached copy) and fetch it again.",
    );
    this.name = "TruncatedFileError";
  }
}

/** A ByteSource over bytes in memory (tests, small files). */
export function bytesSource(name: string, bytes: Uint8Array): ByteSource {
  return {
    name,
    size: bytes.length,
    async read(offset, length) {
      if (offset < 0 || length < 0) throw new RangeError(`${name}: bad range ${offset}+${length}`);
      if (offset + length > bytes.length) throw new TruncatedFileError(name, offset + length, bytes.length);
      return bytes.subarray(offset, offset + length);
    },
  };
}

/** A ByteSource over a Blob or File; `blob` is kept so the file can be handed to a worker. */
export type BlobByteSource = ByteSource & { readonly blob: Blob };

/** A ByteSource over a Blob or File (a dropped or picked file): reads slices, never the whole file. */
export function blobSource(name: string, blob: Blob): BlobByteSource {
  return {
    name,
    blob,
    size: blob.size,
    async read(offset, length) {
      if (offset + length > blob.size) throw new TruncatedFileError(name, offset + length, blob.size);
      return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
    },
  };
}

/** A FileSet over named sources. */
export function fileSet(label: string, files: ByteSource[] | Map<string, ByteSource>): FileSet {
  const map = files instanceof Map ? files : new Map(files.map((f) => [f.name, f]));
  return { label, list: () => [...map.keys()], get: (name) => map.get(name) };
}

/** Reads a whole (small) file as UTF-8 text, e.g. config.json. */
export async function readText(source: ByteSource, signal?: AbortSignal): Promise<string> {
  return new TextDecoder().decode(await source.read(0, source.size, signal));
}

/** Reads a whole (small) file as JSON, saying which file is malformed. */
export async function readJson(source: ByteSource, signal?: AbortSignal): Promise<unknown> {
  const text = await readText(source, signal);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${source.name} is not valid JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
}
