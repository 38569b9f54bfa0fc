import { randomUUID } from "node:crypto";
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { IncomingCall, RegistryContext } from "./context.js";
import { isAdminPath } from "./admin.js";
import type { FaultDecision } from "./faults.js";
import { apiError, storageError, type Reply } from "./reply.js";
import type { FaultRoute, RecordedRequest } from "./types.js";

/** Routes a request of one origin to its handler and its fault name. */
export type Router = (call: IncomingCall) => {
  fault?: FaultRoute;
  handle: (call: IncomingCall, ctx: RegistryContext) => Reply | Promise<Reply>;
};

/** A listening server of one origin. */
export interface OriginServer {
  url: string;
  close(): Promise<void>;
}

type Origin = RecordedRequest["origin"];

/** Starts the server of one origin on `host:port`. */
export async function startOrigin(
  origin: Origin,
  host: string,
  port: number,
  ctx: RegistryContext,
  router: Router,
): Promise<OriginServer> {
  const server = createServer((req, res) => {
    serve(origin, req, res, ctx, router).catch((error: unknown) => {
      sendReply(origin, res, internalError(origin, error));
    });
  });
  await listen(server, host, port);
  const address = server.address() as AddressInfo;
  const urlHost = address.family === "IPv6" ? `[${address.address}]` : host;
  return {
    url: `http://${urlHost}:${address.port}`,
    close: () => closeServer(server),
  };
}

async function serve(
  origin: Origin,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: RegistryContext,
  router: Router,
): Promise<void> {
  const record = recordOf(origin, req, ctx);
  const call = await readCall(req);
  res.on("finish", () => {
    if (record) record.status = res.statusCode;
  });

  const route = router(call);
  if (ctx.faults.latencyMs > 0) await sleep(ctx.faults.latencyMs);
  const decision: FaultDecision = route.fault
    ? ctx.faults.decide(route.fault, faultKey(route.fault, call.path))
    : { kind: "none" };
  if (decision.kind === "reset") return drop(req);
  if (decision.kind === "status") {
    return sendReply(origin, res, faultReply(origin, decision));
  }

  const reply = await route.handle(call, ctx);
  const committed = route.fault === "complete" && reply.status === 201;
  if (committed && ctx.faults.commitThenDrop()) return drop(req);
  sendReply(origin, res, reply);
}

/** Uploads are told apart by artifact; other routes by order alone. */
function faultKey(route: FaultRoute, path: string): string {
  return route === "upload" ? (path.split("/").pop() ?? "") : "";
}

async function readCall(req: IncomingMessage): Promise<IncomingCall> {
  const url = new URL(req.url ?? "/", "http://localhost");
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return {
    method: req.method ?? "GET",
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body: Buffer.concat(chunks),
  };
}

function recordOf(
  origin: Origin,
  req: IncomingMessage,
  ctx: RegistryContext,
): RecordedRequest | undefined {
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  if (origin === "api" && isAdminPath(path)) return undefined;
  const method = req.method ?? "GET";
  const record: RecordedRequest = {
    origin,
    method,
    path,
    status: 0,
    authorized: req.headers.authorization !== undefined,
    write: ["POST", "PUT", "DELETE", "PATCH"].includes(method),
  };
  ctx.requests.push(record);
  return record;
}

function faultReply(
  origin: Origin,
  decision: Extract<FaultDecision, { kind: "status" }>,
): Reply {
  const headers: Record<string, string> = decision.retryAfter
    ? { "retry-after": decision.retryAfter }
    : {};
  const message = `injected fault: HTTP ${decision.status}`;
  if (origin === "storage") {
    const code = decision.status === 429 ? "SlowDown" : "InternalError";
    return storageError(decision.status, code, message, headers);
  }
  const reply = apiError(decision.status, message);
  return { ...reply, headers: { ...reply.headers, ...headers } };
}

function internalError(origin: Origin, error: unknown): Reply {
  const message = `local registry failure: ${String(error)}`;
  return origin === "api"
    ? apiError(500, message)
    : storageError(500, "InternalError", message);
}

function sendReply(origin: Origin, res: ServerResponse, reply: Reply): void {
  if (res.headersSent) return;
  const idHeader =
    origin === "api" ? "x-pulumi-request-id" : "x-amz-request-id";
  res.writeHead(reply.status, { [idHeader]: randomUUID(), ...reply.headers });
  res.end(reply.body);
}

// An unanswered connection: the recorded status stays 0.
function drop(req: IncomingMessage): void {
  req.socket.destroy();
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
