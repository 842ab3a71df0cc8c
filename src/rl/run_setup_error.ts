// The error a run's settings give when they cannot work, before any step is
// taken: in a file of its own so that code without the GPU engine (the recipe
// export, the CLI's argument checks) can throw and catch it.

/** Thrown when a run's settings cannot work (before any step is taken). */
export class RunSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RunSetupError";
  }
}
