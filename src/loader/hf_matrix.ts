// Builds one WeightMatrix from consecutive row chunks, quantizing each chunk as
// it arrives, so a large embedding is never held in f32 whole. Blocks of 32 run
// along rows, so whole-row chunks are whole blocks and the result equals
// quantize() of the whole matrix bit for bit (scales are repacked, since a chunk
// with an odd block count ends in the middle of a packed scale word).
import { QK, quantize } from "../quant/weights";
import { type WeightFormat, type WeightMatrix } from "../protocol/tensors";

/** u32 words of the data plane per block of 32 weights. */
function wordsPerBlock(format: "q8_0" | "q4_0"): number {
  return format === "q8_0" ? 8 : 4;
}

export class WeightMatrixAssembler {
  private readonly data: Uint32Array;
  private readonly scales: Uint32Array;
  private filledRows = 0;

  constructor(
    readonly format: WeightFormat,
    readonly rows: number,
    readonly cols: number,
  ) {
    if (format !== "f32" && cols % QK !== 0) {
      throw new Error(`weight: ${format} needs columns in multiples of ${QK}, got ${cols}`);
    }
    if (format === "f32") {
      this.data = new Uint32Array(rows * cols);
      this.scales = new Uint32Array(1);
    } else {
      const blocks = (rows * cols) / QK;
      this.data = new Uint32Array(blocks * wordsPerBlock(format));
      this.scales = new Uint32Array(Math.max(1, Math.ceil(blocks / 2)));
    }
  }

  /** Rows filled so far. */
  get filled(): number {
    return this.filledRows;
  }

  /** Appends the next rows: values (n, cols) row-major, f32. */
  add(values: Float32Array): void {
    const n = values.length / this.cols;
    if (!Number.isInteger(n) || this.filledRows + n > this.rows) {
      throw new Error(
        `weight: ${values.length} values are not whole rows of ${this.cols} within the (${this.rows}, ${this.cols}) matrix (${this.filledRows} rows filled)`,
      );
    }
    if (this.format === "f32") {
      this.data.set(new Uint32Array(values.buffer, values.byteOffset, values.length), this.filledRows * this.cols);
    } else {
      const part = quantize(values, n, this.cols, this.format);
      const firstBlock = (this.filledRows * this.cols) / QK;
      this.data.set(part.data, firstBlock * wordsPerBlock(this.format));
      const blocks = (n * this.cols) / QK;
      for (let b = 0; b < blocks; b++) {
        const half = ((part.scales[b >> 1] as number) >>> (16 * (b & 1))) & 0xffff;
        const at = firstBlock + b;
        this.scales[at >> 1] = (this.scales[at >> 1] as number) | (half << (16 * (at & 1)));
      }
    }
    this.filledRows += n;
  }

  /** The matrix; every row must have been added. */
  finish(): WeightMatrix {
    if (this.filledRows !== this.rows) {
      throw new Error(`weight: only ${this.filledRows} of ${this.rows} rows were added before finish()`);
    }
    return { format: this.format, rows: this.rows, cols: this.cols, data: this.data, scales: this.scales };
  }
}
