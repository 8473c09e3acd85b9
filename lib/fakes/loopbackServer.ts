import * as http from "node:http";
import { AddressInfo } from "node:net";

/** An HTTP server on 127.0.0.1 for the fakes: start on a free (or given) port, stop dropping open connections. */
export abstract class LoopbackServer {
  private server?: http.Server;

  protected abstract handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>;

  /** Starts listening; returns the origin, e.g. http://127.0.0.1:41234. */
  async start(port = 0): Promise<string> {
    this.server = http.createServer((req, res) =>
      // A client that gives up mid-request (a timeout under test) aborts the body: drop the connection quietly.
      this.handle(req, res).catch(() => res.destroy()),
    );
    // Idle keep-alive connections outlive a client's pause (benchmarks, debugging) instead of racing its reuse.
    this.server.keepAliveTimeout = 60_000;
    // A port in use or not allowed rejects (EADDRINUSE, EACCES) instead of throwing from an event.
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(port, "127.0.0.1", () => {
        this.server!.off("error", reject);
        resolve();
      });
    });
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
