// Shows a render error with its message and stack instead of a white page.
import { Component, type ErrorInfo, type ReactNode } from "react";

type Props = { children: ReactNode };
type State = { error: Error | undefined };

export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: undefined };

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error("TAPO Studio crashed while rendering", error, info.componentStack);
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <main className="crash" role="alert">
        <h1>Something broke</h1>
        <p>
          The page hit an error it could not recover from. Your runs and traces are kept; reload the page to go on.
          If it happens again, please report the message below.
        </p>
        <pre className="crash-message">{`${error.name}: ${error.message}`}</pre>
        {error.stack ? <pre className="crash-stack">{error.stack}</pre> : null}
        <button type="button" onClick={() => window.location.reload()}>
          Reload
        </button>
      </main>
    );
  }
}
