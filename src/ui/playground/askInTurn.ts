// Asks the Playground's models one after another (one GPU: one answer at a time), each answer
// streaming into its own column of the store; a stop ends the answer being written and skips
// every model after it. Framework-free: the worker call comes in as `ask`.
import type { Trace } from "../../protocol/trace";
import type { PlaygroundModel } from "../../trainer/playground";
import { endAsk, failAnswer, finishAnswer, startAnswer, startAsk } from "./playgroundStore";

/** Asks each of `models` in turn with `ask`; resolves when all have answered, failed or been skipped by `stop`. */
export async function askInTurn(models: PlaygroundModel[], ask: (model: PlaygroundModel) => Promise<Trace>, stop: AbortSignal): Promise<void> {
  startAsk(models);
  for (const model of models) {
    if (stop.aborted) {
      failAnswer(model, "Not asked: stopped before this model's turn.", true);
      continue;
    }
    startAnswer(model);
    try {
      finishAnswer(model, await ask(model));
    } catch (error) {
      if (stop.aborted) failAnswer(model, "Stopped before the end.", true);
      else failAnswer(model, error instanceof Error ? error.message : String(error));
    }
  }
  endAsk();
}
