/**
 * Downloads from pre-signed URLs (schema, readme, template archive) to a
 * file, with no Authorization, hashing the bytes as they arrive.
 */
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { pipeline } from "node:stream/promises";

import type { Dispatcher } from "undici";

import { RegistryError } from "../errors.js";
import { isSuccess } from "./api.js";
import { headerValue, httpFailure, networkFailure } from "./failure.js";
import {
  describeError,
  logCall,
  stripQuery,
  type HttpContext,
} from "./http.js";
import { querySecrets, redactUrl } from "./redact.js";
import { withRetries, type AnswerHeaders } from "./retry.js";
import { splitStorageUrl } from "./upload.js";

/** How many redirects a download follows. */
const MAX_REDIRECTS = 5;

/** Size and SHA-256 (hex) of a downloaded file. */
export interface DownloadDigest {
  bytes: number;
  sha256: string;
}

interface DownloadAnswer {
  status: number;
  headers: AnswerHeaders;
  body: string;
  digest?: DownloadDigest;
}

/**
 * GETs `url` into `dest`, replacing it on each attempt. Redirects are
 * followed (at most five, never from https to http): no credential is sent,
 * so none can leak.
 */
export async function downloadFile(
  context: HttpContext,
  url: string,
  dest: string,
): Promise<DownloadDigest> {
  let current = url;
  for (let hops = 0; ; hops++) {
    const answer = await fetchToFile(context, current, dest);
    if (answer.digest !== undefined) return answer.digest;
    if (hops >= MAX_REDIRECTS) {
      throw new RegistryError(
        `GET ${redactUrl(url)} failed: more than ${MAX_REDIRECTS} redirects`,
        { method: "GET", path: redactUrl(url), status: answer.status },
      );
    }
    current = redirectTarget(current, answer);
  }
}

async function fetchToFile(
  context: HttpContext,
  url: string,
  dest: string,
): Promise<DownloadAnswer> {
  const target = splitStorageUrl(url);
  const outcome = await withRetries(
    `GET ${redactUrl(url)}`,
    context.policy,
    context.logger,
    (attempt) => sendOnce(context, { ...target, dest }, attempt),
  );
  const call = {
    method: "GET",
    path: redactUrl(url),
    attempts: outcome.attempts,
    lostAnswer: false,
    storage: true,
    secrets: querySecrets(url),
  };
  if (outcome.kind === "error") {
    throw networkFailure(call, target.origin, outcome.error);
  }
  const { answer } = outcome;
  if (answer.digest !== undefined || isRedirect(answer)) return answer;
  throw httpFailure(call, answer);
}

async function sendOnce(
  context: HttpContext,
  target: { origin: string; path: string; dest: string },
  attempt: number,
): Promise<DownloadAnswer> {
  const started = performance.now();
  const label = `GET ${target.origin}${stripQuery(target.path)}`;
  try {
    const response = await context.dispatcher.request({
      method: "GET",
      origin: target.origin,
      path: target.path,
      headers: { "user-agent": context.userAgent },
      headersTimeout: context.requestTimeoutMs,
      bodyTimeout: context.requestTimeoutMs,
    });
    const answer = await readAnswer(response, target.dest);
    logCall(context, label, attempt, started, `HTTP ${answer.status}`);
    return answer;
  } catch (error) {
    logCall(context, label, attempt, started, describeError(error));
    throw error;
  }
}

async function readAnswer(
  response: Dispatcher.ResponseData,
  dest: string,
): Promise<DownloadAnswer> {
  const { statusCode: status, headers } = response;
  if (!isSuccess(status)) {
    return { status, headers, body: await response.body.text() };
  }
  const hash = createHash("sha256");
  let bytes = 0;
  await pipeline(
    response.body,
    async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) {
        hash.update(chunk);
        bytes += chunk.length;
        yield chunk;
      }
    },
    createWriteStream(dest),
  );
  return {
    status,
    headers,
    body: "",
    digest: { bytes, sha256: hash.digest("hex") },
  };
}

function isRedirect(answer: DownloadAnswer): boolean {
  const location = headerValue(answer.headers, "location");
  return answer.status >= 300 && answer.status < 400 && location !== undefined;
}

function redirectTarget(from: string, answer: DownloadAnswer): string {
  const location = headerValue(answer.headers, "location") ?? "";
  const next = new URL(location, from);
  if (new URL(from).protocol === "https:" && next.protocol !== "https:") {
    throw new RegistryError(
      `GET ${redactUrl(from)} failed: it redirected to ` +
        `${redactUrl(next.href)}, which is not https`,
      { method: "GET", path: redactUrl(from), status: answer.status },
    );
  }
  return next.href;
}
