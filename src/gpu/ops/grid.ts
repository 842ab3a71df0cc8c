// Workgroup grids for 1-D problems larger than one dimension allows (65535 groups).

/**
 * (x, y) workgroup counts covering n items at `perGroup` items each, with no
 * dimension over `maxPerDim`; shaders index i = gid.x + gid.y * groups.x * perGroup
 * and return when i >= n.
 */
export function grid1d(n: number, perGroup: number, maxPerDim: number): [number, number] {
  const groups = Math.max(1, Math.ceil(n / perGroup));
  if (groups <= maxPerDim) return [groups, 1];
  const y = Math.ceil(groups / maxPerDim);
  if (y > maxPerDim) throw new RangeError(`grid1d: ${n} items need more than ${maxPerDim}² workgroups`);
  return [Math.ceil(groups / y), y];
}
