// The WebGPU panel: the adapter, the limits that bound model and batch sizes, and the optional features.
import { FEATURE_NAMES, type GpuCapabilities, type LimitName } from "../gpu/capabilities";
import { formatBytes } from "../util/format_bytes";
import { useAppStore } from "./store";

const SHOWN_LIMITS: { name: LimitName; bytes: boolean }[] = [
  { name: "maxBufferSize", bytes: true },
  { name: "maxStorageBufferBindingSize", bytes: true },
  { name: "maxComputeWorkgroupStorageSize", bytes: true },
  { name: "maxComputeInvocationsPerWorkgroup", bytes: false },
];

function CapabilitiesTable({ caps }: { caps: GpuCapabilities }) {
  return (
    <>
      <dl className="adapter" aria-label="adapter">
        <dt>Vendor</dt>
        <dd data-testid="gpu-vendor">{caps.vendor}</dd>
        <dt>Architecture</dt>
        <dd data-testid="gpu-architecture">{caps.architecture}</dd>
        {caps.description ? (
          <>
            <dt>Description</dt>
            <dd>{caps.description}</dd>
          </>
        ) : null}
      </dl>
      <table className="limits">
        <caption>Limits</caption>
        <tbody>
          {SHOWN_LIMITS.map(({ name, bytes }) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td data-testid={`limit-${name}`} title={String(caps.limits[name])}>
                {bytes ? formatBytes(caps.limits[name]) : caps.limits[name]}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="features" aria-label="features">
        {FEATURE_NAMES.map((name) => (
          <li key={name} className={caps.features[name] ? "on" : "off"} data-testid={`feature-${name}`}>
            {name}: {caps.features[name] ? "yes" : "no"}
          </li>
        ))}
      </ul>
    </>
  );
}

export function GpuPanel() {
  const gpu = useAppStore((s) => s.gpu);
  return (
    <section className="panel gpu-panel" aria-labelledby="gpu-panel-title" data-status={gpu.status}>
      <h2 id="gpu-panel-title">WebGPU</h2>
      {gpu.status === "pending" ? <p>Asking the browser for a GPU adapter…</p> : null}
      {gpu.status === "ready" ? <CapabilitiesTable caps={gpu.capabilities} /> : null}
      {gpu.status === "lost" ? (
        <>
          <p className="warning" role="alert">{gpu.message}</p>
          {gpu.capabilities ? <CapabilitiesTable caps={gpu.capabilities} /> : null}
        </>
      ) : null}
      {gpu.status === "error" ? <p className="warning" role="alert">{gpu.message}</p> : null}
    </section>
  );
}
