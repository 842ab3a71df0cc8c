// Weight access for f32 matrices. Prepended to kernels that read a frozen weight
// W: (rows, cols) row-major; the kernel declares
//   var<storage, read> w_data: array<u32>;   // f32 bits, one per weight
//   var<storage, read> w_scales: array<u32>; // unused for f32 (bind any buffer)
// w_load4(row, col, cols): W[row, col..col+3] with col % 4 == 0.

fn w_load(row: u32, col: u32, cols: u32) -> f32 {
  _ = &w_scales; // keeps the binding in the auto layout, so all formats bind alike
  return bitcast<f32>(w_data[row * cols + col]);
}

fn w_load4(row: u32, col: u32, cols: u32) -> vec4<f32> {
  _ = &w_scales;
  let i = row * cols + col;
  return vec4<f32>(bitcast<f32>(w_data[i]), bitcast<f32>(w_data[i + 1u]), bitcast<f32>(w_data[i + 2u]), bitcast<f32>(w_data[i + 3u]));
}
