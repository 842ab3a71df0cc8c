// One tab drives a saved run: a Web Lock per run ("tapo-run:<id>"), held by
// the tab whose worker trains it for as long as it trains. Locks belong to the
// origin, so every tab and worker of the app sees them; a tab closing (or its
// worker dying) releases them. Another tab lists a locked run as trained
// elsewhere and shows it read-only: it can neither resume nor delete it.
// Where there is no Web Locks API (the CLI under Node, an old browser) every
// run counts as free: the CLI has its own folder per run.

const PREFIX = "tapo-run:";

/** The lock's name for run `runId`. */
export function runLockName(runId: string): string {
  return `${PREFIX}${runId}`;
}

function locks(): LockManager | undefined {
  return globalThis.navigator?.locks;
}

/**
 * Takes run `runId`'s lock if nobody holds it: resolves with the function that gives it back, or with
 * undefined when another tab (or this one) holds it.
 */
export function tryHoldRunLock(runId: string): Promise<(() => void) | undefined> {
  const manager = locks();
  if (!manager) return Promise.resolve(() => {});
  return new Promise((resolve, reject) => {
    manager
      .request(runLockName(runId), { ifAvailable: true }, (lock) => {
        if (!lock) {
          resolve(undefined);
          return undefined;
        }
        // Held until the returned function is called.
        return new Promise<void>((release) => resolve(() => release()));
      })
      .catch(reject);
  });
}

/** Ids of the runs whose lock a tab holds to train them (this tab's own included); watchers' shared holds do not count. */
export async function lockedRuns(): Promise<Set<string>> {
  const manager = locks();
  if (!manager) return new Set();
  const { held = [] } = await manager.query();
  return new Set(held.flatMap((l) => (l.mode === "exclusive" && l.name?.startsWith(PREFIX) ? [l.name.slice(PREFIX.length)] : [])));
}

/**
 * Resolves once run `runId`'s lock is free (the tab that trained it stopped, or closed), or when `signal`
 * aborts; takes the lock for no longer than that moment.
 */
export async function whenRunLockFree(runId: string, signal: AbortSignal): Promise<void> {
  const manager = locks();
  if (!manager) return;
  // Shared: granted once no tab trains the run, and, held for that instant only, never mistaken for one that does.
  await manager.request(runLockName(runId), { mode: "shared", signal }, () => undefined).catch((error: unknown) => {
    if (!(error instanceof DOMException && error.name === "AbortError")) throw error;
  });
}
