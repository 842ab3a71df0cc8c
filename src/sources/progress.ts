// Download progress figures: bytes done of the total, the transfer rate over a
// sliding window of recent samples, and the time left at that rate. Pure, so
// it is tested without a network or a clock.

export type DownloadProgress = {
  bytesDone: number;
  bytesTotal: number;
  /** The file being copied. */
  file: string;
  /** Bytes per second over the last few seconds (0 before two samples). */
  rateBytesPerSec: number;
  /** Seconds left at that rate; Infinity while the rate is unknown. */
  secondsLeft: number;
};

/** Tracks the rate over the last `windowMs` milliseconds of samples. */
export class RateMeter {
  private samples: { t: number; bytes: number }[] = [];

  constructor(private readonly windowMs = 5000) {}

  /** Records that `bytes` (a running count of transferred bytes) were reached at time `t` ms. */
  sample(t: number, bytes: number): void {
    this.samples.push({ t, bytes });
    while (this.samples.length > 2 && t - this.samples[1]!.t >= this.windowMs) this.samples.shift();
  }

  /** Bytes per second between the oldest and newest kept samples; 0 when under two samples or no time passed. */
  rate(): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.t <= first.t) return 0;
    return ((last.bytes - first.bytes) * 1000) / (last.t - first.t);
  }
}

/** A progress record: rate from the meter, time left = remaining bytes / rate. */
export function progressOf(bytesDone: number, bytesTotal: number, file: string, rate: number): DownloadProgress {
  const remaining = Math.max(0, bytesTotal - bytesDone);
  const secondsLeft = remaining === 0 ? 0 : rate > 0 ? remaining / rate : Infinity;
  return { bytesDone, bytesTotal, file, rateBytesPerSec: rate, secondsLeft };
}

/** Seconds as a short human figure: 75 -> "1 min 15 s", Infinity -> "unknown". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "unknown";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
