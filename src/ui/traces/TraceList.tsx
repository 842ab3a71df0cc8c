// The filtered traces as a virtualised listbox: fixed-height rows, only those in view (plus a few)
// in the DOM, so thousands of traces scroll smoothly. Keyboard: arrows, Page Up/Down, Home, End.
import { type KeyboardEvent, useEffect, useRef, useState } from "react";
import type { Trace } from "../../protocol/trace";
import { usesCode, usesSearch } from "../../traces/filter";
import { Outcome } from "./TraceView";

/** Row height in CSS pixels; must match `.trace-row` in traces.css. */
export const ROW_HEIGHT = 56;
const OVERSCAN = 6;
const FALLBACK_VIEWPORT = 480;

type Props = {
  traces: readonly Trace[];
  /** Positions in `traces` to list, in order. */
  indices: readonly number[];
  selected?: number;
  onSelect: (index: number) => void;
};

export function rowId(index: number): string {
  return `trace-row-${index}`;
}

function TraceRow({ trace, index }: { trace: Trace; index: number }) {
  const tools = [usesSearch(trace) ? "search" : "", usesCode(trace) ? "code" : ""].filter(Boolean);
  return (
    <div className="trace-row-line">
      <span className="trace-row-no">#{index + 1}</span>
      {trace.step !== undefined ? <span>step {trace.step}</span> : null}
      <Outcome trace={trace} />
      {trace.reward ? <span>reward {trace.reward.total.toFixed(2)}</span> : null}
      {tools.map((t) => (
        <span key={t} className={`tool-chip tool-${t}`}>
          {t}
        </span>
      ))}
    </div>
  );
}

export function TraceList({ traces, indices, selected, onSelect }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(FALLBACK_VIEWPORT);

  useEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => setViewport(el.clientHeight || FALLBACK_VIEWPORT));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const total = indices.length * ROW_HEIGHT;
  const top = Math.min(scrollTop, Math.max(0, total - viewport));
  const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(indices.length, Math.ceil((top + viewport) / ROW_HEIGHT) + OVERSCAN);
  const position = selected === undefined ? -1 : indices.indexOf(selected);

  const moveTo = (pos: number) => {
    const clamped = Math.max(0, Math.min(indices.length - 1, pos));
    const index = indices[clamped];
    if (index === undefined) return;
    onSelect(index);
    const el = box.current;
    if (!el) return;
    const rowTop = clamped * ROW_HEIGHT;
    if (rowTop < el.scrollTop) el.scrollTop = rowTop;
    else if (rowTop + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = rowTop + ROW_HEIGHT - el.clientHeight;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor(viewport / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: position < 0 ? 0 : position + 1,
      ArrowUp: position < 0 ? 0 : position - 1,
      PageDown: position + page,
      PageUp: position - page,
      Home: 0,
      End: indices.length - 1,
    };
    const target = moves[e.key];
    if (target === undefined || indices.length === 0) return;
    e.preventDefault();
    moveTo(target);
  };

  const rows = [];
  for (let pos = first; pos < last; pos++) {
    const index = indices[pos]!;
    const trace = traces[index]!;
    rows.push(
      <div
        key={index}
        id={rowId(index)}
        role="option"
        aria-selected={index === selected}
        aria-posinset={pos + 1}
        aria-setsize={indices.length}
        className="trace-row"
        style={{ top: pos * ROW_HEIGHT }}
        onClick={() => {
          onSelect(index);
          box.current?.focus();
        }}
      >
        <TraceRow trace={trace} index={index} />
        <div className="trace-row-question">{trace.question}</div>
      </div>,
    );
  }

  return (
    <div
      ref={box}
      className="trace-list"
      role="listbox"
      aria-label="Traces"
      tabIndex={0}
      aria-activedescendant={position >= first && position < last && selected !== undefined ? rowId(selected) : undefined}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      onKeyDown={onKeyDown}
      data-testid="trace-list"
    >
      <div className="trace-list-spacer" style={{ height: total }}>
        {rows}
      </div>
    </div>
  );
}
