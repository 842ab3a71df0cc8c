// Checks answer extraction: the last closed <answer> block, and the last \boxed{} inside it with nested braces. Node, no GPU.
import { describe, expect, it } from "vitest";
import { extractAnswer, lastBlock, lastBoxed } from "./extract";

describe("extractAnswer", () => {
  it("takes the last closed answer block, trimmed", () => {
    expect(extractAnswer("<answer> 3 </answer><think>no</think><answer>\n5\n</answer>")).toBe("5");
    expect(extractAnswer("<answer>1</answer> later <answer>2")).toBe("1");
    expect(extractAnswer("<think>the answer is 4</think>")).toBeUndefined();
    expect(extractAnswer("no tags")).toBeUndefined();
    expect(extractAnswer("</answer>")).toBeUndefined();
  });

  it("takes the last \\boxed{} inside the answer, nested braces included", () => {
    expect(extractAnswer("<answer>so \\boxed{\\frac{1}{2}}.</answer>")).toBe("\\frac{1}{2}");
    expect(extractAnswer("<answer>\\boxed{1} or rather \\boxed{ {2}+\\frac{3}{{4}} }</answer>")).toBe("{2}+\\frac{3}{{4}}");
    expect(extractAnswer("<answer>\\boxed{\\{1, 2\\}}</answer>")).toBe("\\{1, 2\\}");
    expect(extractAnswer("\\boxed{9}<answer>7</answer>")).toBe("7");
  });

  it("falls back to the whole answer when the box never closes", () => {
    expect(extractAnswer("<answer>\\boxed{\\frac{1}{2}</answer>")).toBe("\\boxed{\\frac{1}{2}");
    expect(lastBoxed("\\boxed{a{b}")).toBeUndefined();
    expect(lastBoxed("\\fbox{x}")).toBe("x");
  });

  it("reads other tags", () => {
    expect(lastBlock("<final>x</final>", "final")).toBe("x");
    expect(extractAnswer("<final>x</final>", "final")).toBe("x");
  });
});
