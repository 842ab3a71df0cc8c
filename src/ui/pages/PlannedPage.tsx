// A page whose tools are not built yet: says plainly what it will hold.
import type { ReactNode } from "react";

type Props = { title: string; children: ReactNode };

export function PlannedPage({ title, children }: Props) {
  return (
    <section className="panel" aria-labelledby="page-title">
      <h2 id="page-title">{title}</h2>
      <div className="planned">{children}</div>
      <p className="muted">Not built yet.</p>
    </section>
  );
}
