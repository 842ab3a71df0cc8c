// Shown instead of the studio when the browser has no WebGPU: which browsers and flags work.
type Props = { message: string };

export function NoWebGpu({ message }: Props) {
  return (
    <section className="no-webgpu" aria-labelledby="no-webgpu-title">
      <h2 id="no-webgpu-title">WebGPU is not available</h2>
      <p className="detail">{message}</p>
      <p>TAPO Studio trains models on your GPU through WebGPU. These work:</p>
      <ul>
        <li>Chrome or Edge 113 or newer on Windows, macOS and ChromeOS.</li>
        <li>
          Chrome or Chromium on Linux: enable <code>chrome://flags/#enable-unsafe-webgpu</code> (and, on some drivers,
          <code> chrome://flags/#enable-vulkan</code>), or start it with <code>--enable-unsafe-webgpu</code>.
        </li>
        <li>Safari 26 or newer on macOS and iOS; Firefox 141 or newer on Windows.</li>
      </ul>
      <p>
        The page must come from <code>https://</code> or <code>localhost</code>. Check{" "}
        <code>chrome://gpu</code> for a blocklisted GPU or disabled hardware acceleration.
      </p>
    </section>
  );
}
