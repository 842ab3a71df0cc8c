// Weight access for Q4_0 matrices (src/quant/weights.ts has the layout). Prepended
// to kernels that read a frozen weight W: (rows, cols), cols % 32 == 0; the kernel declares
//   var<storage, read> w_data: array<u32>;   // 4 u32 per block: the 16 GGUF nibble bytes
//   var<storage, read> w_scales: array<u32>; // f16 scales, two per u32
// Byte j of a block holds element j (low nibble) and element j + 16 (high nibble),
// so four consecutive elements sit in one u32, all low or all high nibbles.
// w_load4(row, col, cols): W[row, col..col+3] with col % 4 == 0.

fn w_scale(block: u32) -> f32 {
  return unpack2x16float(w_scales[block >> 1u])[block & 1u];
}

fn w_load4(row: u32, col: u32, cols: u32) -> vec4<f32> {
  let block = (row * cols + col) >> 5u;
  let j = col & 31u;
  let word = w_data[block * 4u + ((j & 15u) >> 2u)];
  let nibbles = (word >> select(0u, 4u, j >= 16u)) & 0x0f0f0f0fu;
  return (vec4<f32>(unpack4xU8(nibbles)) - 8.0) * w_scale(block);
}

fn w_load(row: u32, col: u32, cols: u32) -> f32 {
  return w_load4(row, col & ~3u, cols)[col & 3u];
}
