// What an engine command running in the page (or under Node) sends back to
// the `tapo` process: one plain JSON record at a time, printed as a line.

export type Emit = (record: Record<string, unknown>) => void;
