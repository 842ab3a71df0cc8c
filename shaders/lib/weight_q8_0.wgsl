// Weight access for Q8_0 matrices (src/quant/weights.ts has the layout). Prepended
// to kernels that read a frozen weight W: (rows, cols), cols % 32 == 0; the kernel declares
//   var<storage, read> w_data: array<u32>;   // 8 u32 per block: int8 x4 each
//   var<storage, read> w_scales: array<u32>; // f16 scales, two per u32
// w_load4(row, col, cols): W[row, col..col+3] with col % 4 == 0.

fn w_scale(block: u32) -> f32 {
  return unpack2x16float(w_scales[block >> 1u])[block & 1u];
}

fn w_load4(row: u32, col: u32, cols: u32) -> vec4<f32> {
  let block = (row * cols + col) >> 5u;
  let word = w_data[block * 8u + ((col & 31u) >> 2u)];
  return vec4<f32>(unpack4xI8(word)) * w_scale(block);
}

fn w_load(row: u32, col: u32, cols: u32) -> f32 {
  return w_load4(row, col & ~3u, cols)[col & 3u];
}
