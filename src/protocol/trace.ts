// Trace v1 (DESIGN.md), the record of one rollout that the UI, permalinks,
// traces.jsonl and other programs read. Types only; everything done with
// traces (the check, the conversion of a finished rollout, JSONL, permalinks)
// lives in src/traces/.

export type Segment =
  | { kind: "think" | "answer" | "text"; text: string }
  | { kind: "search" | "code"; text: string }
  | { kind: "response"; tool: "search" | "python" | "none"; text: string; ms?: number; error?: string };

export type Trace = {
  v: 1;
  /** Hub id or bundled name. */
  model: string;
  /** Training step that produced it. */
  step?: number;
  question: string;
  /** Reference answers when known. */
  gold?: string[];
  segments: Segment[];
  reward?: { total: number; correct: boolean; format: boolean; overlong: number; tool?: number };
  tokens?: { policy: number; forced: number };
  /** ISO 8601. */
  created: string;
};
