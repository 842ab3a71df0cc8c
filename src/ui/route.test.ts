// Checks hash parsing for pages, permalinks and unknown paths. Pure, no GPU.
import { describe, expect, it } from "vitest";
import { PAGES, hrefFor, parseRoute } from "./route";

describe("parseRoute", () => {
  it("maps the empty hash to the Model page", () => {
    expect(parseRoute("")).toEqual({ page: "model" });
    expect(parseRoute("#/")).toEqual({ page: "model" });
  });
  it("round-trips every page through its href", () => {
    for (const { id } of PAGES) expect(parseRoute(hrefFor(id))).toEqual({ page: id });
  });
  it("keeps a permalink payload verbatim", () => {
    expect(parseRoute("#/t/abc-_123")).toEqual({ page: "permalink", payload: "abc-_123" });
  });
  it("reports unknown paths instead of guessing", () => {
    expect(parseRoute("#/nope")).toEqual({ page: "not-found", hash: "#/nope" });
  });
});
