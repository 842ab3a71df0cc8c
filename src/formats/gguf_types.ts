// GGUF's enumerations: metadata value types, ggml tensor types with their
// block sizes (weights per block, bytes per block), and the value shapes the
// reader returns and the writer takes. Ids follow ggml's docs/gguf.md and
// ggml.h (types 4, 5 and 31-33, 36-38 were removed upstream and never reused).

/** Metadata value type ids (u32 in the file). */
export const GGUF_VALUE = {
  UINT8: 0,
  INT8: 1,
  UINT16: 2,
  INT16: 3,
  UINT32: 4,
  INT32: 5,
  FLOAT32: 6,
  BOOL: 7,
  STRING: 8,
  ARRAY: 9,
  UINT64: 10,
  INT64: 11,
  FLOAT64: 12,
} as const;

export type GgufValueTypeId = (typeof GGUF_VALUE)[keyof typeof GGUF_VALUE];
export type GgufScalarTypeId = Exclude<GgufValueTypeId, 9>;

/**
 * A metadata value as read: integers and floats as numbers (64-bit integers
 * as bigint when they do not fit a double exactly), BOOL as boolean, STRING as
 * string, ARRAY as a plain array of its elements.
 */
export type GgufValue = number | bigint | boolean | string | GgufValue[];

/** A metadata value with its file type, for the writer. Nested arrays give their elements typed. */
export type GgufTypedValue =
  | { type: GgufScalarTypeId; value: number | bigint | boolean | string }
  | { type: 9; elementType: GgufScalarTypeId; value: (number | bigint | boolean | string)[] }
  | { type: 9; elementType: 9; value: GgufTypedValue[] };

/** ggml tensor type ids that this project names. */
export const GGML_TYPE = {
  F32: 0,
  F16: 1,
  Q4_0: 2,
  Q4_1: 3,
  Q5_0: 6,
  Q5_1: 7,
  Q8_0: 8,
  Q8_1: 9,
  Q2_K: 10,
  Q3_K: 11,
  Q4_K: 12,
  Q5_K: 13,
  Q6_K: 14,
  Q8_K: 15,
  BF16: 30,
} as const;

type TypeInfo = { name: string; blockSize: number; blockBytes: number };

/** Every ggml type a reader may meet, with its block geometry (from ggml's type traits). */
const TYPE_INFO: Record<number, TypeInfo> = {
  0: { name: "F32", blockSize: 1, blockBytes: 4 },
  1: { name: "F16", blockSize: 1, blockBytes: 2 },
  2: { name: "Q4_0", blockSize: 32, blockBytes: 18 },
  3: { name: "Q4_1", blockSize: 32, blockBytes: 20 },
  6: { name: "Q5_0", blockSize: 32, blockBytes: 22 },
  7: { name: "Q5_1", blockSize: 32, blockBytes: 24 },
  8: { name: "Q8_0", blockSize: 32, blockBytes: 34 },
  9: { name: "Q8_1", blockSize: 32, blockBytes: 36 },
  10: { name: "Q2_K", blockSize: 256, blockBytes: 84 },
  11: { name: "Q3_K", blockSize: 256, blockBytes: 110 },
  12: { name: "Q4_K", blockSize: 256, blockBytes: 144 },
  13: { name: "Q5_K", blockSize: 256, blockBytes: 176 },
  14: { name: "Q6_K", blockSize: 256, blockBytes: 210 },
  15: { name: "Q8_K", blockSize: 256, blockBytes: 292 },
  16: { name: "IQ2_XXS", blockSize: 256, blockBytes: 66 },
  17: { name: "IQ2_XS", blockSize: 256, blockBytes: 74 },
  18: { name: "IQ3_XXS", blockSize: 256, blockBytes: 98 },
  19: { name: "IQ1_S", blockSize: 256, blockBytes: 50 },
  20: { name: "IQ4_NL", blockSize: 32, blockBytes: 18 },
  21: { name: "IQ3_S", blockSize: 256, blockBytes: 110 },
  22: { name: "IQ2_S", blockSize: 256, blockBytes: 82 },
  23: { name: "IQ4_XS", blockSize: 256, blockBytes: 136 },
  24: { name: "I8", blockSize: 1, blockBytes: 1 },
  25: { name: "I16", blockSize: 1, blockBytes: 2 },
  26: { name: "I32", blockSize: 1, blockBytes: 4 },
  27: { name: "I64", blockSize: 1, blockBytes: 8 },
  28: { name: "F64", blockSize: 1, blockBytes: 8 },
  29: { name: "IQ1_M", blockSize: 256, blockBytes: 56 },
  30: { name: "BF16", blockSize: 1, blockBytes: 2 },
  34: { name: "TQ1_0", blockSize: 256, blockBytes: 54 },
  35: { name: "TQ2_0", blockSize: 256, blockBytes: 66 },
  39: { name: "MXFP4", blockSize: 32, blockBytes: 17 },
};

/** The type's name ("Q4_K"), or "type N" for an id this reader does not know. */
export function ggmlTypeName(type: number): string {
  return TYPE_INFO[type]?.name ?? `type ${type}`;
}

/** Weights per block and bytes per block, or undefined for an unknown type. */
export function ggmlTypeBlock(type: number): { blockSize: number; blockBytes: number } | undefined {
  const info = TYPE_INFO[type];
  return info && { blockSize: info.blockSize, blockBytes: info.blockBytes };
}

/** The ggml types TAPO Studio loads (others are refused by name at load). */
export const LOADABLE_TYPES: readonly number[] = [
  GGML_TYPE.F32,
  GGML_TYPE.F16,
  GGML_TYPE.BF16,
  GGML_TYPE.Q4_0,
  GGML_TYPE.Q4_1,
  GGML_TYPE.Q5_0,
  GGML_TYPE.Q5_1,
  GGML_TYPE.Q8_0,
  GGML_TYPE.Q4_K,
  GGML_TYPE.Q5_K,
  GGML_TYPE.Q6_K,
];
