// Deterministic column reduction shared by column_sum and rmsnorm_backward_weight (prepended by
// src/gpu/ops/elementwise.ts and rmsnorm.ts, after workgroup_sum.wgsl): the sum over rows of a
// per-element term, column by column, with no atomics. A workgroup owns wg_size / lanes adjacent
// columns; each column's rows are split over `lanes` threads (row r goes to lane r % lanes), and
// the lanes' partial sums are combined by workgroup_sum's fixed tree. Column tiles are workgroups
// on a 2-D grid: tile = wid.x + wid.y * groups.x, so the grid needs ceil(cols / (wg_size / lanes))
// workgroups.
// Expects from the kernel: override wg_size (a power of two, >= lanes), and the summand
//   fn column_term(row: u32, col: u32) -> f32
// (WGSL passes no functions, so column_reduce calls the kernel's by name).
// Defines: override lanes, ColumnSum and column_reduce.

override lanes: u32 = 16u; // a power of two

// One thread's result: the column it reduced and the column's sum; `owner` is true for exactly
// one thread per column that exists, the one that should store it.
struct ColumnSum { col: u32, sum: f32, owner: bool }

// Σ_{row < rows} column_term(row, col) for this thread's column col of a (rows, cols) matrix.
// Call from uniform control flow (workgroup_sum has barriers).
fn column_reduce(wid: vec3<u32>, groups: vec3<u32>, li: u32, rows: u32, cols: u32) -> ColumnSum {
  let tile_cols = wg_size / lanes;
  let col = (wid.x + wid.y * groups.x) * tile_cols + li % tile_cols;
  let lane = li / tile_cols;
  var acc = 0.0;
  if (col < cols) {
    for (var r = lane; r < rows; r += lanes) { acc += column_term(r, col); }
  }
  let sum = workgroup_sum(li, acc, lanes, tile_cols);
  return ColumnSum(col, sum, lane == 0u && col < cols);
}
