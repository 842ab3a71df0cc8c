// The Train page's form survives a reload: its values are kept in the page's
// localStorage (small, synchronous, per origin) and read back over the
// defaults, taking only keys the form still has with values of the same kind,
// so a form from an older version or a hand-edited entry cannot break it.
import type { FormValues } from "./trainForm";

const KEY = "tapo-train-form";

type Storage = Pick<globalThis.Storage, "getItem" | "setItem" | "removeItem">;

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined; // a sandboxed page or disabled storage: the form then lasts as long as the page
  }
}

/** `defaults` with every saved value whose key and kind still fit. */
export function loadSavedForm(defaults: FormValues, store: Storage | undefined = storage()): FormValues {
  let saved: unknown;
  try {
    saved = JSON.parse(store?.getItem(KEY) ?? "null");
  } catch {
    return defaults;
  }
  if (saved === null || typeof saved !== "object" || Array.isArray(saved)) return defaults;
  const out = { ...defaults };
  for (const [key, value] of Object.entries(saved as Record<string, unknown>)) {
    if (Object.hasOwn(defaults, key) && typeof value === typeof defaults[key]) out[key] = value as string | boolean;
  }
  return out;
}

/**
 * Keeps the values that differ from `defaults` for the next visit, so a default changed in a later version
 * still reaches fields the user never touched (a full or unavailable storage is not an error: the form resets).
 */
export function saveForm(values: FormValues, defaults: FormValues, store: Storage | undefined = storage()): void {
  const changed = Object.fromEntries(Object.entries(values).filter(([k, v]) => defaults[k] !== v));
  try {
    store?.setItem(KEY, JSON.stringify(changed));
  } catch {
    // quota exceeded or storage disabled
  }
}

/** Forgets the kept values. */
export function forgetSavedForm(store: Storage | undefined = storage()): void {
  store?.removeItem(KEY);
}
