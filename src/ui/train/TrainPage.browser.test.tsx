// Checks the Train page on a scripted run fed into its store: segments of several kinds stream in, charts draw points for the steps, the forced-token toggle marks the tool output, buttons follow the run's status, bad settings are reported. Needs a browser (headless Chromium), no GPU.
import learning from "../../bench/learning_settings.json";
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RunEvent } from "../../protocol/run";
import { resetAppStore, useAppStore } from "../store";
import { CHARTS } from "./chartData";
import { evalAt, FORCED_PYTHON, FORCED_SEARCH, rolloutBatches, runStarted, stepMetrics, stepTraces } from "./testing";
import { TrainPage } from "./TrainPage";
import { resetChartView, setLogScale, setSmoothing } from "./chartViewStore";
import { applyRunEvents, resetTrainStore, setFormValue, setSavedRuns } from "./trainStore";
import type { ModelSummary } from "../../trainer/events";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;

async function feed(...events: RunEvent[]): Promise<void> {
  await act(async () => applyRunEvents(events));
}

function button(name: string): HTMLButtonElement {
  const found = [...host.querySelectorAll("button")].find((b) => b.textContent?.trim() === name);
  if (!found) throw new Error(`no button "${name}"`);
  return found;
}

function enabled(): Record<string, boolean> {
  return Object.fromEntries(["Start", "Pause", "Resume", "Stop"].map((n) => [n, !button(n).disabled]));
}

/** Pixels of `canvas` within a few levels of `hex` on every channel. */
function pixelsOf(canvas: HTMLCanvasElement, hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i]! - r!) < 12 && Math.abs(data[i + 1]! - g!) < 12 && Math.abs(data[i + 2]! - b!) < 12 && data[i + 3]! > 200) n++;
  return n;
}

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));

beforeEach(async () => {
  resetTrainStore();
  resetChartView();
  resetAppStore();
  useAppStore.setState({ model: { status: "loaded", model: { label: "tiny" } as ModelSummary } });
  host = document.body.appendChild(document.createElement("div"));
  host.style.width = "1000px";
  root = createRoot(host);
  await act(async () => root.render(<TrainPage />));
});

afterEach(async () => {
  await act(async () => root.unmount());
  host.remove();
});

describe("TrainPage", () => {
  it("enables Start, Pause, Resume and Stop by the run's status", async () => {
    expect(enabled()).toEqual({ Start: true, Pause: false, Resume: false, Stop: false });
    await feed(runStarted("run-1"));
    expect(enabled()).toEqual({ Start: false, Pause: true, Resume: false, Stop: true });
    await act(async () => button("Pause").click());
    expect(enabled()).toEqual({ Start: false, Pause: false, Resume: false, Stop: true });
    expect(host.textContent).toContain("pausing after this step");
    await feed({ type: "status", status: "paused" });
    expect(enabled()).toEqual({ Start: false, Pause: false, Resume: true, Stop: true });
    await feed({ type: "status", status: "running" });
    expect(enabled()).toEqual({ Start: false, Pause: true, Resume: false, Stop: true });
    await feed({ type: "status", status: "finished" });
    expect(enabled()).toEqual({ Start: true, Pause: false, Resume: false, Stop: false });
    await act(async () => useAppStore.setState({ model: { status: "none" } }));
    expect(button("Start").disabled).toBe(true);
  });

  it("streams a step's rollouts as segments of several kinds, then shows each one's verdict", async () => {
    const [b1, b2, b3] = rolloutBatches();
    await feed(runStarted(), { type: "phase", step: 1, phase: "generate", done: 0, total: 2 }, { type: "rollouts", step: 1, events: b1! });
    const kinds = () => new Set([...host.querySelectorAll(".rollout [data-kind]")].map((e) => e.getAttribute("data-kind")));
    expect(kinds()).toEqual(new Set(["think", "search"]));
    expect(host.textContent).toContain("generating rollouts 0 / 2");
    await feed({ type: "rollouts", step: 1, events: b2! }, { type: "rollouts", step: 1, events: b3! });
    expect(kinds()).toEqual(new Set(["think", "search", "response", "code", "answer"]));
    const first = host.querySelector('[data-rollout="0/0"]')!;
    expect(first.querySelector(".seg-search")?.textContent).toContain("Zorblat river length");
    expect(first.querySelector(".seg-code")?.textContent).toContain("print(412 * 2)");
    expect(first.querySelector(".seg-response summary")?.textContent).toMatch(/search result · 12 ms/);
    expect(host.querySelector(".verdict")).toBeNull();
    await feed({ type: "step", metrics: stepMetrics(1) }, { type: "traces", step: 1, traces: stepTraces(1) });
    expect(first.querySelector(".verdict")?.textContent).toMatch(/correct · reward 1\.00/);
    expect(host.querySelector('[data-rollout="0/1"] .verdict')?.textContent).toMatch(/wrong · reward -1\.00/);
    expect(first.querySelector(".rollout-question")?.textContent).toContain("Zorblat river, doubled");
    expect(host.textContent).toContain("Run: step 1 of 3");
  });

  it("warns, as an alert, when dynamic sampling keeps no group for several steps, and not while it keeps some", async () => {
    const step = (n: number, kept: number): RunEvent => ({ type: "step", metrics: { ...stepMetrics(n), kept_groups: kept, acc: 0, reward: -1 } });
    await feed(runStarted(), step(1, 0.25), step(2, 0), step(3, 0));
    expect(host.querySelector('[data-testid="no-signal"]')).toBeNull();
    await feed(step(4, 0), { type: "status", status: "finished" });
    const warning = host.querySelector('[data-testid="no-signal"]');
    expect(warning?.getAttribute("role")).toBe("alert");
    expect(warning?.textContent).toMatch(/Nothing is being learned.*all wrong.*tapo sft/);
    // The run header's pace, from the steps' wall time.
    expect(host.querySelector('[data-testid="run-pace"]')?.textContent).toMatch(/^3\.0 s a step/);
  });

  it("renders rollout text as text, never as HTML", async () => {
    await feed(runStarted(), {
      type: "rollouts",
      step: 1,
      events: [{ questionIndex: 0, sampleIndex: 0, type: "tokens", origin: "policy", text: "<think><img src=x onerror=alert(1)><b>bold</b></think>", count: 9 }],
    });
    expect(host.querySelector(".rollout img, .rollout b")).toBeNull();
    expect(host.querySelector(".seg-think")?.textContent).toContain("<b>bold</b>");
  });

  it("marks forced tokens when asked, and only the runtime's text", async () => {
    await feed(runStarted(), ...rolloutBatches().map((events): RunEvent => ({ type: "rollouts", step: 1, events })));
    expect(host.querySelector("mark[data-origin=forced]")).toBeNull();
    const toggle = [...host.querySelectorAll("label")].find((l) => l.textContent?.includes("Show forced tokens"))!.querySelector("input")!;
    await act(async () => toggle.click());
    const first = host.querySelector('[data-rollout="0/0"]')!;
    const forced = [...first.querySelectorAll("mark[data-origin=forced]")].map((m) => m.textContent ?? "");
    expect(forced).toHaveLength(2);
    expect(forced[0]).toContain(FORCED_SEARCH);
    expect(forced[1]).toContain(FORCED_PYTHON);
    const policy = [...first.querySelectorAll("[data-origin=policy]")].map((m) => m.textContent ?? "").join("");
    expect(policy).toContain("<search>Zorblat river length</search>");
    expect(policy).not.toContain(FORCED_SEARCH);
    expect(host.querySelector('[data-rollout="0/1"] mark')).toBeNull();
  });

  it("draws a log-scaled chart with no steps yet, and shows the smoothed latest value in the legend", async () => {
    const entropy = () => host.querySelector<HTMLElement>('[data-chart="entropy"]')!;
    await act(async () => {
      setLogScale("entropy", true);
      setSmoothing(0.5);
    });
    await vi.waitFor(() => expect(entropy().querySelector("canvas")).not.toBeNull());
    expect(entropy().querySelector('[role="img"]')!.getAttribute("aria-label")).toBe("Entropy: no steps yet, log scale");
    await feed(runStarted(), { type: "step", metrics: stepMetrics(1) }, { type: "step", metrics: stepMetrics(2) });
    // Entropy 1.4 then 1.3: the debiased average with weight 0.5 is (0.25·1.4 + 0.5·1.3) / 0.75 = 1.33.
    await vi.waitFor(() => expect(entropy().querySelector(".u-legend .u-series:nth-child(2) .u-value")?.textContent).toBe("1.33"));
    expect(entropy().getAttribute("data-points")).toBe("2");
    await act(async () => {
      setLogScale("entropy", false);
      setSmoothing(0);
    });
    await vi.waitFor(() => expect(entropy().querySelector(".u-legend .u-series:nth-child(2) .u-value")?.textContent).toBe("1.3"));
  });

  it("draws each chart's points as steps and evaluations arrive", async () => {
    const reward = () => host.querySelector<HTMLElement>('[data-chart="reward"]')!;
    const canvas = () => reward().querySelector("canvas")!;
    // Charts draw one a task (so a step's end never blocks for all of them): wait for the last.
    await vi.waitFor(() => expect(host.querySelectorAll("[data-chart] canvas")).toHaveLength(CHARTS.length));
    await nextFrame();
    const blue = CHARTS[0]!.series[0]!.color;
    expect(pixelsOf(canvas(), blue)).toBe(0);
    await feed(runStarted(), { type: "eval", eval: evalAt(0, 0.25) }, { type: "step", metrics: stepMetrics(1) }, { type: "step", metrics: stepMetrics(2) }, { type: "step", metrics: stepMetrics(3) });
    await nextFrame();
    expect(reward().dataset.points).toBe("4");
    expect(host.querySelector<HTMLElement>('[data-chart="tool-calls"]')!.dataset.points).toBe("6");
    expect(host.querySelector<HTMLElement>('[data-chart="step-time"]')!.dataset.points).toBe("12");
    await vi.waitFor(() => expect(pixelsOf(canvas(), blue)).toBeGreaterThan(20));
    // Without hovering, the legend shows each series' latest value: step 3's reward, the step-0 evaluation's.
    const legend = () => [...reward().querySelectorAll(".u-legend .u-value")].map((e) => e.textContent);
    await vi.waitFor(() => expect(legend()).toEqual(["3", String(+stepMetrics(3).reward.toPrecision(3)), String(+evalAt(0, 0.25).reward.toPrecision(3))]));
    await feed({ type: "eval", eval: evalAt(3, 0.75) });
    const table = host.querySelector("[data-testid=eval-table]")!;
    expect(table.textContent).toContain("before");
    expect(table.textContent).toContain("step 3");
    expect(table.querySelector("tbody tr")?.textContent).toBe("Accuracy25.0%75.0%+50.0%");
  });

  it("shows the config's problems beside the form and keeps Start off until they are fixed", async () => {
    expect(host.querySelector(".config-form [role=alert]")).toBeNull();
    expect(host.querySelectorAll(".config-form [data-field]").length).toBeGreaterThan(30);
    await act(async () => setFormValue("overlongBuffer", "500"));
    const alert = host.querySelector(".config-form [role=alert]");
    expect(alert?.textContent).toContain(`overlongBuffer (500) must be below maxResponseTokens (${learning.dapo.maxResponseTokens})`);
    expect(host.querySelector('[data-field="overlongBuffer"] input')?.getAttribute("aria-invalid")).toBe("true");
    expect(button("Start").disabled).toBe(true);
    await act(async () => setFormValue("overlongBuffer", String(learning.dapo.overlongBuffer)));
    expect(host.querySelector(".config-form [role=alert]")).toBeNull();
    expect(button("Start").disabled).toBe(false);
  });

  it("resumes a saved run to its own step count, not the form's, unless the user raises it", async () => {
    await act(async () => {
      setSavedRuns([
        { runId: "run-a", model: "tiny", created: "2026-11-23T10:00:00Z", step: 1, steps: 2, status: "stopped" },
        { runId: "run-b", model: "tiny", created: "2026-11-23T09:00:00Z", step: 30, steps: 30, status: "finished" },
      ]);
    });
    const target = [...host.querySelectorAll("label")].find((l) => l.textContent?.startsWith("Continue to step"))!.querySelector("input")!;
    const select = [...host.querySelectorAll("label")].find((l) => l.textContent?.startsWith("Saved run"))!.querySelector("select")!;
    // The form says the default steps (the learning benchmark's); the saved run wants 2, and that is what Resume continues to.
    expect(host.querySelector<HTMLInputElement>('[data-field="steps"] input')?.value).toBe(String(learning.steps));
    expect(target.value).toBe("2");
    expect(button("Resume run").disabled).toBe(false);
    const type = async (el: HTMLInputElement | HTMLSelectElement, value: string) => {
      const proto = el instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
      await act(async () => {
        Object.getOwnPropertyDescriptor(proto, "value")!.set!.call(el, value);
        el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
      });
    };
    // Below the run's own count is refused with a reason; above it extends the run.
    await type(target, "1");
    expect(button("Resume run").disabled).toBe(true);
    expect(host.textContent).toContain("Continue to a whole step of at least 2");
    await type(target, "6");
    expect(button("Resume run").disabled).toBe(false);
    // Each saved run keeps its own target.
    await type(select, "run-b");
    expect(target.value).toBe("30");
    await type(select, "run-a");
    expect(target.value).toBe("6");
  });
});
