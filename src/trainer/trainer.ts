// The engine's front door inside the trainer worker: acquires the GPUDevice,
// reports what the adapter can do, and tells the UI when the device is lost.
// Exposed over comlink by workers/trainer.worker.ts; tested by calling it directly.
import type { GpuCapabilities } from "../gpu/capabilities";
import { acquireDevice } from "../gpu/device";
import type { TrainerEventSink } from "./events";

export class Trainer {
  private device: GPUDevice | undefined;
  private capabilities: GpuCapabilities | undefined;

  /**
   * Acquires the device (once) and reports it to `onEvent`; later device loss
   * is reported there too. Throws WebGpuUnavailableError when there is no adapter.
   */
  async connect(onEvent: TrainerEventSink): Promise<GpuCapabilities> {
    if (this.device && this.capabilities) {
      onEvent({ type: "ready", capabilities: this.capabilities });
      return this.capabilities;
    }
    try {
      const { device, capabilities } = await acquireDevice();
      this.device = device;
      this.capabilities = capabilities;
      void device.lost.then((info) => {
        if (this.device === device) this.device = undefined;
        onEvent({
          type: "device-lost",
          reason: info.reason,
          message: info.message || "the GPU device was lost",
        });
      });
      onEvent({ type: "ready", capabilities });
      return capabilities;
    } catch (error) {
      onEvent({ type: "error", message: error instanceof Error ? error.message : String(error) });
      throw error;
    }
  }

  /** The adapter's capabilities, or undefined before connect(). */
  getCapabilities(): GpuCapabilities | undefined {
    return this.capabilities;
  }

  /** Destroys the device on purpose (used to test and to free GPU memory); the loss is reported. */
  releaseDevice(): void {
    this.device?.destroy();
  }
}
