// Types of scripts/lint/layers.mjs (plain JavaScript, so eslint.config.js loads it without a build step).
import type { ESLint } from "eslint";

/** Bottom to top: each entry is one layer, a list of folders relative to the repository root. */
export const LAYERS: string[][];
/** The layer entry that holds `file` (absolute), or undefined outside every layer. */
export function placeOf(file: string): { folder: string; layer: number } | undefined;
export function isTestFile(file: string): boolean;
export function resolveImport(from: string, specifier: string): string | undefined;
export function specifiersOf(source: string): string[];
export function cycleThrough(start: string, startDeps: string[]): string[] | undefined;
declare const plugin: ESLint.Plugin;
export default plugin;
