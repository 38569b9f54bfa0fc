/** A local storage stand-in on 127.0.0.1 that records what it receives. */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the server saw it. */
export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** How the server answers, request by request. */
export type Reply = {
  status: number;
  body?: string | Buffer;
  headers?: Record<string, string>;
};

/** Starts a server that answers with `replies` in turn (the last repeats). */
export async function startStorage(replies: Reply[]) {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks),
      });
      const reply = replies[received.length - 1] ?? replies.at(-1);
      response.writeHead(reply?.status ?? 500, reply?.headers);
      response.end(reply?.body ?? "");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
