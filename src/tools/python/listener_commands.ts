// Vitest browser commands (Node side) for the Python tool's isolation tests: a
// listener on 127.0.0.1 that records every TCP connection (HTTP, WebSocket,
// anything) and every UDP datagram (QUIC, WebTransport) on one port, so a test
// can check that code in the sandbox reached nothing. Registered in
// vitest.config.ts; the browser calls them through `commands` of
// "vitest/browser". Node-only.
import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { createServer, type Server } from "node:net";

type Listener = { tcp: Server; udp: UdpSocket; hits: string[] };

const listeners = new Map<number, Listener>();

declare module "vitest/browser" {
  interface BrowserCommands {
    /** Starts a listener on 127.0.0.1 (TCP and UDP on one port); returns the port. */
    startListener: () => Promise<number>;
    /** What reached the listener so far: one line per connection (its first bytes) or datagram. */
    listenerHits: (port: number) => Promise<string[]>;
    /** Stops the listener. */
    stopListener: (port: number) => Promise<void>;
  }
}

async function startListener(): Promise<number> {
  const hits: string[] = [];
  const tcp = createServer((socket) => {
    const entry = hits.push(`tcp connection from ${socket.remoteAddress}`) - 1;
    socket.once("data", (data) => (hits[entry] += `: ${data.toString("latin1").split("\r\n")[0]}`));
    socket.on("error", () => {});
    setTimeout(() => socket.destroy(), 200);
  });
  await new Promise<void>((resolve, reject) => {
    tcp.once("error", reject);
    tcp.listen(0, "127.0.0.1", resolve);
  });
  const port = (tcp.address() as { port: number }).port;
  const udp = createSocket("udp4");
  udp.on("message", (_message, from) => hits.push(`udp datagram from ${from.address}`));
  await new Promise<void>((resolve) => udp.bind(port, "127.0.0.1", resolve)).catch(() => {});
  listeners.set(port, { tcp, udp, hits });
  return port;
}

/** The commands, as vitest.config.ts `browser.commands` takes them. */
export const listenerCommands = {
  startListener: () => startListener(),
  listenerHits: (_context: unknown, port: number) => Promise.resolve([...(listeners.get(port)?.hits ?? [])]),
  stopListener: async (_context: unknown, port: number) => {
    const listener = listeners.get(port);
    if (!listener) return;
    listeners.delete(port);
    listener.udp.close();
    await new Promise<void>((resolve) => listener.tcp.close(() => resolve()));
  },
};
