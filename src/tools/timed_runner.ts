// A ToolRunner wrapper that measures the wall-clock time during which at least
// one tool call was running. Rollouts call tools concurrently, so summing each
// call's ms would count overlapping calls twice; the union of their intervals
// is the time the step spent waiting on tools, which the step's time split
// reports next to generation and the update.
import type { ToolCall, ToolResult, ToolRunner } from "../protocol/tools";

export class TimedToolRunner implements ToolRunner {
  private inFlight = 0;
  private busySince = 0;
  private busyMs = 0;
  private calls = 0;

  constructor(
    private readonly inner: ToolRunner,
    private readonly now: () => number = () => performance.now(),
  ) {}

  async run(call: ToolCall, session: string, signal?: AbortSignal): Promise<ToolResult> {
    if (this.inFlight++ === 0) this.busySince = this.now();
    this.calls += 1;
    try {
      return await this.inner.run(call, session, signal);
    } finally {
      if (--this.inFlight === 0) this.busyMs += this.now() - this.busySince;
    }
  }

  endSession(session: string): Promise<void> | void {
    return this.inner.endSession(session);
  }

  /** Milliseconds with at least one call running since the last reset (calls still running count up to now), and calls started. */
  read(): { ms: number; calls: number } {
    const open = this.inFlight > 0 ? this.now() - this.busySince : 0;
    return { ms: this.busyMs + open, calls: this.calls };
  }

  reset(): void {
    this.busyMs = 0;
    this.calls = 0;
    if (this.inFlight > 0) this.busySince = this.now();
  }
}
