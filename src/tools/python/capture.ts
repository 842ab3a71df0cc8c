// Bounded capture of a stream of text (the code's stdout or stderr): keeps the
// first `headChars` and the last `tailChars` characters and counts what fell in
// between, so printing 100 MB costs memory for the kept ends only. Bytes come
// from Pyodide as UTF-8 chunks; a huge chunk is never decoded whole.

/** What a capture kept: the start, the end, and how many UTF-16 characters were dropped between them. */
export type CapturedText = { head: string; tail: string; cutChars: number };

/** Chunks up to this many bytes are decoded whole; bigger ones are decoded at their ends only. */
const DECODE_WHOLE_BYTES = 1 << 16;

/** True for a UTF-8 continuation byte (10xxxxxx). */
function isContinuation(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

/** The first index ≥ i that starts a UTF-8 sequence (or bytes.length). */
function boundaryAtOrAfter(bytes: Uint8Array, i: number): number {
  let j = Math.min(Math.max(i, 0), bytes.length);
  while (j < bytes.length && isContinuation(bytes[j]!)) j++;
  return j;
}

/** UTF-16 length of the UTF-8 bytes in [from, to) (4-byte sequences count 2; undecodable bytes count 1). */
function utf16Length(bytes: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const b = bytes[i]!;
    if (!isContinuation(b)) n += b >= 0xf0 ? 2 : 1;
  }
  return n;
}

/** Drops a leading low surrogate (half of a pair whose other half was cut away). */
function dropLoneLowSurrogate(s: string): string {
  const c = s.charCodeAt(0);
  return c >= 0xdc00 && c <= 0xdfff ? s.slice(1) : s;
}

/** Collects text up to a head and a tail budget; everything between is only counted. */
export class CappedText {
  private head = "";
  private tail = "";
  private cutChars = 0;
  private decoder = new TextDecoder("utf-8");

  /**
   * @param headChars how many characters of the start to keep
   * @param tailChars how many characters of the end to keep
   */
  constructor(
    readonly headChars: number,
    readonly tailChars: number,
  ) {}

  /** Appends text. */
  pushText(text: string): void {
    let rest = text;
    if (this.head.length < this.headChars) {
      const room = this.headChars - this.head.length;
      this.head += rest.slice(0, room);
      rest = rest.slice(room);
    }
    if (rest.length === 0) return;
    if (rest.length >= this.tailChars) {
      this.cutChars += this.tail.length + rest.length - this.tailChars;
      this.tail = this.tailChars > 0 ? rest.slice(rest.length - this.tailChars) : "";
    } else {
      const joined = this.tail + rest;
      this.cutChars += Math.max(0, joined.length - this.tailChars);
      this.tail = joined.slice(Math.max(0, joined.length - this.tailChars));
    }
  }

  /** Appends UTF-8 bytes; a chunk may end inside a character (the rest comes with the next chunk). */
  pushBytes(bytes: Uint8Array): void {
    if (bytes.length <= DECODE_WHOLE_BYTES) {
      this.pushText(this.decoder.decode(bytes, { stream: true }));
      return;
    }
    // A big chunk: decode enough bytes for the head's room and the tail's budget, count the middle.
    const headRoom = this.headChars - this.head.length;
    const headEnd = boundaryAtOrAfter(bytes, 4 * Math.max(0, headRoom) + 4);
    const tailStart = Math.max(headEnd, boundaryAtOrAfter(bytes, bytes.length - 4 * this.tailChars - 4));
    this.pushText(this.decoder.decode(bytes.subarray(0, headEnd), { stream: true }));
    this.decoder.decode(); // the head part ends on a character boundary: nothing pending
    const middle = utf16Length(bytes, headEnd, tailStart);
    if (middle > 0) {
      // Everything before the middle is now older than the tail budget allows.
      this.cutChars += this.tail.length + middle;
      this.tail = "";
    }
    this.pushText(this.decoder.decode(bytes.subarray(tailStart), { stream: true }));
  }

  /** What was kept so far (a pending partial character is dropped). */
  result(): CapturedText {
    return { head: this.head, tail: dropLoneLowSurrogate(this.tail), cutChars: this.cutChars };
  }
}
