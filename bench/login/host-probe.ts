/**
 * Preloaded (`node -r host-probe.js dist/cli/main.js serve ...`) into the host the login and reload
 * suites measure, so they measure `jit serve` itself, unmodified:
 * - announces each HTTP server's address as it starts listening (`{type: 'listening', port}`), so the
 *   suite needs neither a fixed port nor the CLI's wording;
 * - answers `{type: 'usage'}` with the process's CPU time (all threads: the event loop, the SQLite
 *   worker threads, GC) and memory, which the suite reads before and after a timed window.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

if (process.send) {
  const listen = http.Server.prototype.listen;
  http.Server.prototype.listen = function patchedListen(this: http.Server, ...args: unknown[]) {
    this.once('listening', () => {
      const address = this.address() as AddressInfo | null;
      if (address && typeof address === 'object') process.send?.({ type: 'listening', port: address.port, address: address.address });
    });
    return (listen as (...a: unknown[]) => http.Server).apply(this, args);
  } as typeof http.Server.prototype.listen;

  process.on('message', (raw) => {
    const msg = raw as { type?: string; id?: number };
    if (msg.type === 'usage') {
      process.send?.({ type: 'usage', id: msg.id, cpu: process.cpuUsage(), memory: process.memoryUsage() });
    }
  });
  // The IPC channel must not keep a host alive that wants to exit, nor stop one we terminate.
  process.channel?.unref();
}
