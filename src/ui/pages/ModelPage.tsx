// The Model page: the GPU the engine will use (and, later, model choice and loading).
import { GpuPanel } from "../GpuPanel";

export function ModelPage() {
  return (
    <>
      <section className="panel" aria-labelledby="page-title">
        <h2 id="page-title">Model</h2>
        <p>
          Pick a Qwen2.5 model (0.5B to 7B) or the bundled tiny model; its frozen weights are quantized and LoRA adapters
          are trained on your GPU. Model loading is not built yet.
        </p>
      </section>
      <GpuPanel />
    </>
  );
}
