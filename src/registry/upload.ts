/**
 * Uploads to pre-signed storage URLs: the URL exactly as the registry gave
 * it, the file streamed with an explicit length, and no Authorization.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";

import { ProtocolError } from "../errors.js";
import { isSuccess } from "./api.js";
import { httpFailure, networkFailure, type FailedCall } from "./failure.js";
import { sendForText, type HttpContext, type HttpRequest } from "./http.js";
import { querySecrets, redactUrl } from "./redact.js";
import { withRetries } from "./retry.js";

/** Storage is assumed to take at least this many bytes per second. */
const MIN_UPLOAD_BYTES_PER_SECOND = 1024 * 1024;

/** A file on disk to upload. */
export interface UploadFile {
  path: string;
  bytes: number;
  contentType: string;
}

/** Where a storage URL points, with its path and query kept verbatim. */
export interface StorageTarget {
  origin: string;
  path: string;
}

/**
 * PUTs `file` to the pre-signed `url`, re-opening and re-sending the whole
 * file on each attempt. Any 2xx is success; a storage error becomes a
 * `RegistryError` with `storage: true` and the URL redacted.
 */
export async function uploadFile(
  context: HttpContext,
  url: string,
  file: UploadFile,
  requiredHeaders: Record<string, string> = {},
): Promise<void> {
  await checkSize(file);
  const target = splitStorageUrl(url);
  const request: HttpRequest = {
    method: "PUT",
    ...target,
    headers: uploadHeaders(context, file, requiredHeaders),
    body: () => createReadStream(file.path),
    timeoutMs: uploadTimeoutMs(context.requestTimeoutMs, file.bytes),
  };
  const label = `PUT ${redactUrl(url)}`;
  const outcome = await withRetries(
    label,
    context.policy,
    context.logger,
    (attempt) => sendForText(context, request, attempt),
  );
  const call: FailedCall = {
    method: "PUT",
    path: redactUrl(url),
    attempts: outcome.attempts,
    lostAnswer: outcome.lostAnswer,
    storage: true,
    timeoutMs: request.timeoutMs,
    secrets: querySecrets(url),
  };
  if (outcome.kind === "error") {
    throw networkFailure(call, target.origin, outcome.error);
  }
  if (!isSuccess(outcome.answer.status)) {
    throw httpFailure(call, outcome.answer);
  }
}

/** The per-attempt timeout of an upload: the call timeout plus 1 s a MiB. */
export function uploadTimeoutMs(timeoutMs: number, bytes: number): number {
  const transferMs = (bytes / MIN_UPLOAD_BYTES_PER_SECOND) * 1_000;
  return Math.ceil(Math.max(timeoutMs, transferMs + timeoutMs));
}

/**
 * Splits a storage URL into origin and the rest, keeping the rest as the
 * registry wrote it so that a signature over it stays valid. Only when it
 * holds characters that cannot go on the wire is the parsed form used.
 */
export function splitStorageUrl(raw: string): StorageTarget {
  const text = raw.trim();
  const url = parseStorageUrl(text);
  const scheme = text.indexOf("://");
  const rest = scheme === -1 ? "" : text.slice(scheme + 3);
  const cut = rest.search(/[/?#]/);
  let path = cut === -1 ? "/" : (rest.slice(cut).split("#", 1)[0] ?? "/");
  if (path.startsWith("?")) path = `/${path}`;
  if (scheme === -1 || /[^\x21-\x7e]/.test(path)) {
    path = url.pathname + url.search;
  }
  return { origin: url.origin, path };
}

function parseStorageUrl(text: string): URL {
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (url === undefined || !/^https?:$/.test(url.protocol)) {
    throw new ProtocolError(
      `The registry gave a storage URL that is not an http(s) URL ` +
        `("${redactUrl(text)}")`,
    );
  }
  return url;
}

function uploadHeaders(
  context: HttpContext,
  file: UploadFile,
  requiredHeaders: Record<string, string>,
): Record<string, string> {
  const headers: Record<string, string> = {
    "user-agent": context.userAgent,
    "content-type": file.contentType,
  };
  for (const [name, value] of Object.entries(requiredHeaders)) {
    headers[name.toLowerCase()] = value;
  }
  // Storage services refuse chunked uploads, so the length is always sent.
  headers["content-length"] = String(file.bytes);
  return headers;
}

async function checkSize(file: UploadFile): Promise<void> {
  const { size } = await stat(file.path);
  if (size !== file.bytes) {
    throw new Error(
      `${file.path} is ${size} bytes but ${file.bytes} were expected; ` +
        `it changed after it was built, so build the artifacts again`,
    );
  }
}
