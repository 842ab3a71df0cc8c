// One benchmark result: a JSON line of `npm run bench` / `tapo bench`.

export type BenchRecord = { event: "bench"; name: string; value: number; unit: string; [key: string]: unknown };
