// Coalesces rollout events for a UI: token deltas of one rollout that follow
// each other merge into one event, and the queue is handed over at most once
// per interval (50 ms: 20 updates a second), in order within each rollout.
import type { RolloutEvent } from "../protocol/rollout_events";

export class StreamBatcher {
  private queue: RolloutEvent[] = [];
  /** Index in `queue` of each rollout's latest event ("q/s" → index). */
  private latest = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastFlush = Number.NEGATIVE_INFINITY;
  private closed = false;

  /** `deliver` receives each batch (never empty); `intervalMs` is the least time between two batches. */
  constructor(
    private readonly deliver: (events: RolloutEvent[]) => void,
    private readonly intervalMs = 50,
  ) {}

  /** Queues `event`, merging it into the rollout's previous event when both are token deltas of the same origin. */
  push(event: RolloutEvent): void {
    if (this.closed) return;
    const key = `${event.questionIndex}/${event.sampleIndex}`;
    const at = this.latest.get(key);
    const prev = at === undefined ? undefined : this.queue[at];
    if (event.type === "tokens" && prev?.type === "tokens" && prev.origin === event.origin) {
      this.queue[at!] = { ...prev, text: prev.text + event.text, count: prev.count + event.count };
    } else {
      this.latest.set(key, this.queue.length);
      this.queue.push(event);
    }
    this.schedule();
  }

  /** Hands over what is queued now, whatever the time since the last batch. */
  flushNow(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.latest.clear();
    this.lastFlush = Date.now();
    this.deliver(batch);
  }

  /** Hands over what is queued and ignores later events. */
  close(): void {
    this.flushNow();
    this.closed = true;
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.lastFlush + this.intervalMs - Date.now());
    this.timer = setTimeout(() => this.flushNow(), wait);
  }
}
