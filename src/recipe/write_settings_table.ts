// Writes the settings table that settings_map.json generates (the one every recipe README carries) into the
// project README, between its settings-table markers: `npx tsx src/recipe/write_settings_table.ts`.
// settings_map.test.ts fails while the README's table is out of date.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { settingsTableMarkdown } from "./settings_map.ts";
import { README_TABLE_BEGIN, README_TABLE_END, withSettingsTable } from "./readme_table.ts";

const path = fileURLToPath(new URL("../../README.md", import.meta.url));
writeFileSync(path, withSettingsTable(readFileSync(path, "utf8"), settingsTableMarkdown()));
process.stdout.write(`wrote the settings table between ${README_TABLE_BEGIN} and ${README_TABLE_END} in ${path}\n`);
