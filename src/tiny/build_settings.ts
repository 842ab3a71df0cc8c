// The tiny model's build settings (build_settings.json) and how a trial run
// overrides some of them (scripts/build-tiny-model.ts --set path=value).
import settingsJson from "./build_settings.json";

export { settingsJson };
export type BuildSettings = typeof settingsJson;

/** `base` with `patch` merged in, object by object (a patch value of another type than the base's is refused). */
export function mergeSettings<T>(base: T, patch: Record<string, unknown>, path = "settings"): T {
  const out = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(patch)) {
    const old = out[key];
    if (old === undefined) throw new Error(`${path}.${key} is not a build setting`);
    if (old !== null && typeof old === "object" && !Array.isArray(old)) {
      if (value === null || typeof value !== "object") throw new Error(`${path}.${key} must be an object`);
      out[key] = mergeSettings(old, value as Record<string, unknown>, `${path}.${key}`);
    } else {
      if (typeof value !== typeof old) throw new Error(`${path}.${key} must be a ${typeof old}, got ${JSON.stringify(value)}`);
      out[key] = value;
    }
  }
  return out as T;
}
