/**
 * Turns a failed call into a `RegistryError` whose message says what was
 * called, what came back, and what the user can do about it.
 */
import { STATUS_CODES } from "node:http";

import { RegistryError, type RegistryErrorDetails } from "../errors.js";
import { redactUrl } from "./redact.js";
import {
  isNetworkCode,
  isRetriedStatus,
  networkErrorCode,
  type AnswerHeaders,
} from "./retry.js";

const MAX_MESSAGE_CHARS = 300;

/** A call as its error message names it. */
export interface FailedCall {
  method: string;
  /** The API path, or the redacted URL of a storage call; no query. */
  path: string;
  attempts: number;
  lostAnswer: boolean;
  storage?: boolean;
  /** The per-attempt timeout, for the message when it ran out. */
  timeoutMs?: number;
  /** Values that must never appear in a message, such as the token. */
  secrets?: string[];
}

/** An answer with its body read as text. */
export interface TextAnswer {
  status: number;
  headers: AnswerHeaders;
  body: string;
}

/** What an error body says, whatever its format. */
export type ServerSays = Pick<
  RegistryErrorDetails,
  "serverCode" | "serverMessage" | "serverErrors"
>;

/** Builds the error for an answer with a status that is not 2xx. */
export function httpFailure(
  call: FailedCall,
  answer: TextAnswer,
): RegistryError {
  const says = readErrorBody(scrub(answer.body, call.secrets));
  const requestId = headerValue(answer.headers, "x-pulumi-request-id");
  const details: RegistryErrorDetails = {
    method: call.method,
    path: call.path,
    status: answer.status,
    ...says,
    requestId,
    ...(call.storage ? { storage: true } : {}),
    ...(call.lostAnswer ? { afterLostAnswer: true } : {}),
  };
  const sentences = [
    statusLine(details),
    ...attemptsNote(answer.status, call.attempts),
    ...statusHint(answer, call),
  ];
  return new RegistryError(sentences.join(". "), details);
}

/** Builds the error for a call that got no answer at all. */
export function networkFailure(
  call: FailedCall,
  origin: string,
  error: unknown,
): RegistryError {
  const code = networkErrorCode(error);
  const head =
    `${call.method} ${call.path} failed` +
    (call.attempts > 1 ? ` after ${call.attempts} attempts` : "") +
    `: ${scrub(describeNetworkError(error, code, call), call.secrets)}`;
  const details: RegistryErrorDetails = {
    method: call.method,
    path: call.path,
    ...(call.storage ? { storage: true } : {}),
    ...(call.lostAnswer ? { afterLostAnswer: true } : {}),
  };
  const hint = isNetworkCode(code) ? `. ${reachHint(call, origin, code)}` : "";
  return new RegistryError(head + hint, details, { cause: error });
}

/**
 * Reads an error body: the API's `{code, message, errors}`, an OAuth
 * `{error, error_description}`, a storage XML `<Error>`, or plain text.
 */
export function readErrorBody(body: string): ServerSays {
  const text = body.trim();
  if (text === "") return {};
  return readJsonError(text) ?? readXmlError(text) ?? readPlainError(text);
}

/** Collapses white space and cuts `text` to about 300 characters. */
export function shorten(text: string, max = MAX_MESSAGE_CHARS): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** The first value of a response header, if present. */
export function headerValue(
  headers: AnswerHeaders,
  name: string,
): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Replaces every secret in `text` with `***`. */
export function scrub(text: string, secrets: string[] = []): string {
  return secrets
    .filter((secret) => secret.length > 0)
    .reduce((result, secret) => result.split(secret).join("***"), text);
}

function readJsonError(text: string): ServerSays | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const body = parsed as Record<string, unknown>;
  const message = firstString(body.message) ?? oauthMessage(body);
  const code = body.code;
  return {
    serverCode:
      typeof code === "number" || typeof code === "string" ? code : undefined,
    serverMessage: message === undefined ? undefined : shorten(message),
    serverErrors: Array.isArray(body.errors) ? body.errors : undefined,
  };
}

function readXmlError(text: string): ServerSays | undefined {
  const message = /<Message>([\s\S]*?)<\/Message>/.exec(text)?.[1];
  if (message === undefined) return undefined;
  const code = /<Code>([\s\S]*?)<\/Code>/.exec(text)?.[1];
  return { serverCode: code, serverMessage: shorten(message) };
}

function readPlainError(text: string): ServerSays {
  const withoutTags = text.replace(/<[^>]*>/g, " ");
  return { serverMessage: shorten(withoutTags) };
}

function describeNetworkError(
  error: unknown,
  code: string | undefined,
  call: FailedCall,
): string {
  if (code === "timeout" && call.timeoutMs !== undefined) {
    const seconds = call.timeoutMs / 1_000;
    return `timeout (no complete answer within ${seconds} s)`;
  }
  const reason = error instanceof Error ? error.message : String(error);
  return code === undefined || reason === code ? reason : `${code} (${reason})`;
}

function reachHint(call: FailedCall, origin: string, code?: string): string {
  const where = call.storage
    ? "the storage service"
    : "the registry at cloud-url";
  const more = code === "timeout" ? ", or allow more time per request" : "";
  return `Check that ${where} (${origin}) is reachable from this machine${more}`;
}

function firstString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function oauthMessage(body: Record<string, unknown>): string | undefined {
  const error = firstString(body.error);
  const description = firstString(body.error_description);
  if (error !== undefined && description !== undefined) {
    return `${error}: ${description}`;
  }
  return error ?? description;
}

function statusLine(details: RegistryErrorDetails): string {
  const status = details.status ?? 0;
  const reason = STATUS_CODES[status] ?? "";
  let line = `${details.method} ${details.path} failed: HTTP ${status}`;
  if (reason !== "") line += ` ${reason}`;
  if (details.serverMessage) line += `: ${details.serverMessage}`;
  if (details.storage && typeof details.serverCode === "string") {
    line += ` (${details.serverCode})`;
  }
  if (details.requestId) line += ` (request ID ${details.requestId})`;
  return line;
}

function attemptsNote(status: number, attempts: number): string[] {
  const gaveUp = attempts > 1 && isRetriedStatus(status);
  return gaveUp ? [`Gave up after ${attempts} attempts`] : [];
}

function statusHint(answer: TextAnswer, call: FailedCall): string[] {
  const { status } = answer;
  if (status >= 300 && status < 400) return [redirectHint(answer, call)];
  if (call.storage && status === 403) {
    return [
      "The storage service refused the pre-signed URL, which may have " +
        "expired; start the publish again to get a fresh one",
    ];
  }
  if (call.storage) return [];
  if (status === 401) {
    return [
      "The registry refused the access token; check that it is set, " +
        "valid and not expired",
    ];
  }
  if (status === 403) {
    return [
      "The access token lacks permission for this call; check that it " +
        "belongs to a member of the publisher's organization who may publish",
    ];
  }
  return [];
}

function redirectHint(answer: TextAnswer, call: FailedCall): string {
  const location = headerValue(answer.headers, "location");
  const target = location === undefined ? "elsewhere" : redactUrl(location);
  const fix = call.storage
    ? "pre-signed URLs are expected to answer directly"
    : "set cloud-url to the API's own address";
  return `The server redirected to ${target}, which is not followed; ${fix}`;
}
