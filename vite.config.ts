// Vite: the dev server (`npm start`), the production build and `vite preview`.
// Both servers send COOP/COEP so the page is cross-origin isolated and
// SharedArrayBuffer works (the Python tool interrupts runaway code through one).
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { pyodideFiles, pythonSandboxSource } from "./src/tools/python/vite_plugin.ts";

/** Headers that make the app cross-origin isolated; hosts of the build must send them too. */
export const isolationHeaders = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
};

export default defineConfig({
  plugins: [react(), pyodideFiles()],
  server: { headers: isolationHeaders, strictPort: false },
  preview: { headers: isolationHeaders },
  // The trainer worker starts Python tools, which carry the sandbox worker's code.
  worker: { format: "es", plugins: () => [pythonSandboxSource()] },
  // Pre-bundled up front: discovered mid-run (the first browser test run of a fresh clone), Vite
  // re-optimises and can serve zustand against a second copy of React ("Invalid hook call").
  optimizeDeps: {
    include: ["react", "react/jsx-runtime", "react/jsx-dev-runtime", "react-dom/client", "zustand", "zustand/react/shallow", "uplot", "comlink"],
  },
  build: { target: "es2022", sourcemap: true },
});
