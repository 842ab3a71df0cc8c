// The type of the virtual module vite_plugin.ts provides: the Python sandbox's worker (sandbox_worker.ts and
// everything it imports) bundled into one ES module, as text.
declare module "virtual:tapo-python-sandbox" {
  const source: string;
  export default source;
}
