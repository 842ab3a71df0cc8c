// ESLint flat config: typescript-eslint's recommended rules, React hooks rules, test hygiene (no focused tests),
// and the project's import rules (scripts/lint/layers.mjs): folders import only lower layers, and no file is in an import cycle.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";
import tapo from "./scripts/lint/layers.mjs";

export default tseslint.config(
  { ignores: ["dist", "node_modules", ".reports", "test-results", "playwright-report", "public"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { "react-hooks": reactHooks, tapo },
    rules: {
      "tapo/layers": "error",
      "tapo/no-import-cycle": "error",
      ...reactHooks.configs.recommended.rules,
      "no-restricted-properties": [
        "error",
        { object: "it", property: "only", message: "Focused tests hide the rest of the suite." },
        { object: "describe", property: "only", message: "Focused tests hide the rest of the suite." },
        { object: "test", property: "only", message: "Focused tests hide the rest of the suite." },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["**/*.{js,mjs}"],
    languageOptions: { globals: { ...globals.node } },
  },
);
