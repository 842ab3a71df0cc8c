// Checks that a render error shows the error page with its message instead of a blank page. Needs a browser (headless Chromium), no GPU.
import { act } from "react";
import { createRoot } from "react-dom/client";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ErrorBoundary } from "./ErrorBoundary";

// React checks this flag before it lets act() flush updates outside a test renderer.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

function Exploding({ message }: { message: string }): never {
  throw new Error(message);
}

describe("ErrorBoundary", () => {
  afterEach(() => {
    document.body.innerHTML = "";
    vi.restoreAllMocks();
  });

  it("renders children when nothing throws", async () => {
    const host = document.body.appendChild(document.createElement("div"));
    await act(async () => createRoot(host).render(<ErrorBoundary><p>fine</p></ErrorBoundary>));
    expect(host.textContent).toBe("fine");
  });

  it("shows the error's message, as text, when a child throws", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const host = document.body.appendChild(document.createElement("div"));
    const message = `kaput <b>${Math.random()}</b>`;
    await act(async () => createRoot(host).render(<ErrorBoundary><Exploding message={message} /></ErrorBoundary>));
    const alert = host.querySelector("[role=alert]");
    expect(alert).not.toBeNull();
    expect(host.querySelector(".crash-message")?.textContent).toBe(`Error: ${message}`);
    expect(host.querySelector("b")).toBeNull();
    expect(host.querySelector("button")?.textContent).toBe("Reload");
  });
});
