// Checks that the Train page's form is kept across reloads: saved values come back over the defaults, keys the
// form no longer has and values of the wrong kind are dropped, damaged JSON falls back to the defaults, and a
// storage that refuses writes loses nothing but the keeping. Node, no GPU.
import { describe, expect, it } from "vitest";
import { forgetSavedForm, loadSavedForm, saveForm } from "./savedForm";
import { initialFormValues } from "./trainForm";

/** A page's localStorage: string values by key. */
class MapStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

describe("saved form", () => {
  it("brings back what was typed, over the defaults", () => {
    const store = new MapStorage();
    const defaults = initialFormValues();
    expect(loadSavedForm(defaults, store)).toEqual(defaults);
    const booleanKey = Object.keys(defaults).find((k) => typeof defaults[k] === "boolean")!;
    const typed = { ...defaults, steps: "3", learningRate: "1e-", [booleanKey]: !defaults[booleanKey] };
    saveForm(typed, defaults, store);
    expect(loadSavedForm(initialFormValues(), store)).toEqual(typed);
    // Only what differs from the defaults is kept: a default changed later reaches the untouched fields.
    expect(Object.keys(JSON.parse(store.getItem("tapo-train-form")!) as object).sort()).toEqual(["learningRate", "steps", booleanKey].sort());
    expect(loadSavedForm({ ...defaults, seed: "99" }, store).seed).toBe("99");
    forgetSavedForm(store);
    expect(loadSavedForm(defaults, store)).toEqual(defaults);
  });

  it("keeps only known keys with values of the same kind, and ignores damaged entries", () => {
    const store = new MapStorage();
    const defaults = initialFormValues();
    store.setItem("tapo-train-form", '{"steps": "7", "seed": 5, "noSuchSetting": "x", "__proto__": {"polluted": true}}');
    const loaded = loadSavedForm(defaults, store);
    expect(loaded).toEqual({ ...defaults, steps: "7" });
    expect(Object.hasOwn(loaded, "noSuchSetting")).toBe(false);
    expect((loaded as { polluted?: boolean }).polluted).toBeUndefined();
    for (const bad of ["{not json", "[1,2]", "null", '"steps"']) {
      store.setItem("tapo-train-form", bad);
      expect(loadSavedForm(defaults, store), bad).toEqual(defaults);
    }
  });

  it("does not fail when the storage refuses to write", () => {
    const full = { getItem: () => null, setItem: () => { throw new DOMException("full", "QuotaExceededError"); }, removeItem: () => {} };
    expect(() => saveForm({ ...initialFormValues(), steps: "2" }, initialFormValues(), full)).not.toThrow();
  });
});
