// Weights as the kernels read them, and what model loaders emit: tensors under
// their Hugging Face Qwen2 names, one at a time. A sink decides where they go
// (the GPU for the app, a CPU ModelWeights for tests), so a whole model never
// sits in memory twice. Quantizers live in src/quant/, loaders in src/loader/.

export type WeightFormat = "f32" | "q8_0" | "q4_0";

/** A (rows, cols) matrix in one of the kernel formats, row-major in blocks of 32. */
export type WeightMatrix = {
  format: WeightFormat;
  rows: number;
  cols: number;
  data: Uint32Array;
  scales: Uint32Array;
};

/** 2-D weights (embeddings, linear layers) as WeightMatrix; 1-D tensors (norms, biases) as f32. */
export type LoadedTensor = { name: string; value: WeightMatrix | Float32Array };

export type TensorSink = (tensor: LoadedTensor) => void | Promise<void>;
