/**
 * One HTTP attempt: send a request through the dispatcher, read the answer,
 * and log a debug line with no secret in it.
 */
import type { Readable } from "node:stream";

import type { Dispatcher } from "undici";

import type { Logger } from "../logger.js";
import type { RetryPolicy } from "./retry.js";

/** What every call needs: where to send, how to log, how to retry. */
export interface HttpContext {
  dispatcher: HttpDispatcher;
  logger: Logger;
  policy: RetryPolicy;
  requestTimeoutMs: number;
  userAgent: string;
}

/** One request, with the path sent exactly as given. */
export interface HttpRequest {
  method: Dispatcher.HttpMethod;
  origin: string;
  /** Path and query, sent verbatim. */
  path: string;
  headers: Record<string, string>;
  /** A string, or a factory so that each attempt gets a fresh stream. */
  body?: string | (() => Readable);
  timeoutMs: number;
}

/** An answer with its body read as text. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** What the client asks of a dispatcher; an undici `Dispatcher` has it. */
export interface HttpDispatcher {
  request(options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
  close(): Promise<void>;
}

/**
 * The dispatcher used when none is given: it honours HTTPS_PROXY,
 * HTTP_PROXY and NO_PROXY, as runners behind a proxy expect. undici is
 * loaded on the first request, so that a run that stops at its checks
 * (or a dry run without credentials) never loads it.
 */
export function createDefaultDispatcher(): HttpDispatcher {
  let agent: Promise<Dispatcher> | undefined;
  const load = () =>
    (agent ??= import("undici").then(
      (undici) => new undici.EnvHttpProxyAgent(),
    ));
  return {
    request: async (options) => (await load()).request(options),
    close: async () => {
      if (agent) await (await agent).close();
    },
  };
}

/**
 * Sends one attempt and reads the whole answer as text. Redirects are not
 * followed, so that headers never travel to another origin. The attempt is
 * aborted after `timeoutMs`, body included.
 */
export async function sendForText(
  context: HttpContext,
  request: HttpRequest,
  attempt: number,
): Promise<HttpAnswer> {
  const started = performance.now();
  const label = `${request.method} ${request.origin}${stripQuery(request.path)}`;
  try {
    const response = await context.dispatcher.request({
      method: request.method,
      origin: request.origin,
      path: request.path,
      headers: request.headers,
      body: typeof request.body === "function" ? request.body() : request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    const body = await response.body.text();
    const answer = {
      status: response.statusCode,
      headers: response.headers,
      body,
    };
    logCall(context, label, attempt, started, `HTTP ${answer.status}`);
    return answer;
  } catch (error) {
    logCall(context, label, attempt, started, describeError(error));
    throw error;
  }
}

/** Writes the debug line for one attempt. */
export function logCall(
  context: HttpContext,
  label: string,
  attempt: number,
  started: number,
  result: string,
): void {
  const ms = Math.round(performance.now() - started);
  const of = context.policy.maxAttempts;
  context.logger.debug(
    `${label} → ${result} (attempt ${attempt}/${of}, ${ms} ms)`,
  );
}

/** `path` without its query string or fragment. */
export function stripQuery(path: string): string {
  return path.split(/[?#]/, 1)[0] ?? "";
}

/** A short account of a failed attempt's error, for the debug line. */
export function describeError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "string") return code;
  return error instanceof Error ? error.name : "error";
}
