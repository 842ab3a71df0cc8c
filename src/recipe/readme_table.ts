// The project README's copy of the recipe settings table: it sits between two
// HTML comments, so a script can replace it and a test can compare it with the
// table settings_map.json generates.
export const README_TABLE_BEGIN = "<!-- recipe-settings-table:begin (npx tsx src/recipe/write_settings_table.ts) -->";
export const README_TABLE_END = "<!-- recipe-settings-table:end -->";

/** The table between the markers of `readme`, or undefined when the markers are missing. */
export function settingsTableIn(readme: string): string | undefined {
  const begin = readme.indexOf(README_TABLE_BEGIN);
  const end = readme.indexOf(README_TABLE_END);
  if (begin < 0 || end < begin) return undefined;
  return readme.slice(begin + README_TABLE_BEGIN.length, end).trim();
}

/** `readme` with `table` between its markers; throws when they are missing. */
export function withSettingsTable(readme: string, table: string): string {
  const begin = readme.indexOf(README_TABLE_BEGIN);
  const end = readme.indexOf(README_TABLE_END);
  if (begin < 0 || end < begin) throw new Error(`README.md has no ${README_TABLE_BEGIN} … ${README_TABLE_END} block to write the table into`);
  return `${readme.slice(0, begin + README_TABLE_BEGIN.length)}\n${table.trim()}\n${readme.slice(end)}`;
}
