/**
 * The one retry policy every registry and storage call follows: which
 * failures are worth another attempt, how long to wait, and when to stop.
 */
import type { Logger } from "../logger.js";

/** Statuses that say "try again later" rather than "this is wrong". */
const RETRIED_STATUSES = new Set([408, 429, 500, 502, 503, 504]);

/** Network failures that happen before the request leaves this machine. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "UND_ERR_CONNECT_TIMEOUT",
]);

/** Network failures after which the server may have done the work. */
const MAYBE_SENT_CODES = new Set([
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "UND_ERR_SOCKET",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_RES_CONTENT_LENGTH_MISMATCH",
  "timeout",
]);

const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;
/** A server asking for a longer pause is waited on for this long at most. */
const MAX_RETRY_AFTER_MS = 120_000;

/** How many attempts, how long in all, and the clock and dice to use. */
export interface RetryPolicy {
  maxAttempts: number;
  deadlineMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
}

/** Response headers as undici gives them, names in lower case. */
export type AnswerHeaders = Record<string, string | string[] | undefined>;

/** The least an answer must offer for the policy to judge it. */
export interface StatusAnswer {
  status: number;
  headers: AnswerHeaders;
}

/**
 * How a call ended: an answer (of any status, for the caller to judge) or
 * an error that no further attempt could fix. `lostAnswer` is true when an
 * earlier attempt may have reached the server and its answer was lost.
 */
export type RetryOutcome<R> =
  | { kind: "answer"; answer: R; attempts: number; lostAnswer: boolean }
  | { kind: "error"; error: unknown; attempts: number; lostAnswer: boolean };

/** What the policy makes of one failed attempt. */
interface Verdict {
  retry: boolean;
  cause: string;
  lostAnswer: boolean;
  retryAfterMs?: number;
}

/**
 * Runs `send` until it yields an answer that is not worth retrying, the
 * attempts run out, or the next wait would pass the deadline. `label` names
 * the call in log lines and must hold no secret.
 */
export async function withRetries<R extends StatusAnswer>(
  label: string,
  policy: RetryPolicy,
  logger: Logger,
  send: (attempt: number) => Promise<R>,
): Promise<RetryOutcome<R>> {
  const started = policy.now();
  let lostAnswer = false;
  for (let attempt = 1; ; attempt++) {
    const result = await settle(() => send(attempt));
    const verdict =
      "answer" in result
        ? judgeAnswer(result.answer, policy.now())
        : judgeError(result.error);
    const outcome = toOutcome(result, attempt, lostAnswer);
    if (!verdict.retry || attempt >= policy.maxAttempts) return outcome;

    const waitMs = chooseWait(verdict, attempt, policy);
    const elapsed = policy.now() - started;
    if (elapsed + waitMs > policy.deadlineMs) {
      logger.warning(deadlineLine(label, verdict, attempt, policy));
      return outcome;
    }
    logger.info(retryLine(label, verdict, attempt, policy, waitMs));
    lostAnswer ||= verdict.lostAnswer;
    await policy.sleep(waitMs);
  }
}

/** Whether `status` is one the policy retries. */
export function isRetriedStatus(status: number): boolean {
  return RETRIED_STATUSES.has(status);
}

/** Whether `code` names a network failure the policy knows. */
export function isNetworkCode(code: string | undefined): boolean {
  if (code === undefined) return false;
  return NOT_SENT_CODES.has(code) || MAYBE_SENT_CODES.has(code);
}

/**
 * The code that names a network failure: the error's own `code` (or its
 * cause's), `timeout` for an aborted-by-timer call, else undefined.
 */
export function networkErrorCode(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error.name === "TimeoutError") return "timeout";
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") return code;
  return error.cause === undefined ? undefined : networkErrorCode(error.cause);
}

/** Full-jitter exponential backoff: a random wait up to 1 s, 2 s, 4 s... */
export function backoffDelay(attempt: number, random: () => number): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Reads a `Retry-After` header, in seconds or as an HTTP date, into a wait
 * in milliseconds; undefined when absent or unreadable.
 */
export function parseRetryAfter(
  value: string | undefined,
  now: number,
): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1_000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

async function settle<R>(
  fn: () => Promise<R>,
): Promise<{ answer: R } | { error: unknown }> {
  try {
    return { answer: await fn() };
  } catch (error) {
    return { error };
  }
}

function toOutcome<R>(
  result: { answer: R } | { error: unknown },
  attempts: number,
  lostAnswer: boolean,
): RetryOutcome<R> {
  return "answer" in result
    ? { kind: "answer", answer: result.answer, attempts, lostAnswer }
    : { kind: "error", error: result.error, attempts, lostAnswer };
}

function judgeAnswer(answer: StatusAnswer, now: number): Verdict {
  const retry = isRetriedStatus(answer.status);
  const header = answer.headers["retry-after"];
  return {
    retry,
    cause: `HTTP ${answer.status}`,
    lostAnswer: answer.status >= 500,
    retryAfterMs: parseRetryAfter(
      Array.isArray(header) ? header[0] : header,
      now,
    ),
  };
}

function judgeError(error: unknown): Verdict {
  const code = networkErrorCode(error);
  if (code === undefined) {
    return { retry: false, cause: "error", lostAnswer: false };
  }
  const lostAnswer = MAYBE_SENT_CODES.has(code);
  return {
    retry: lostAnswer || NOT_SENT_CODES.has(code),
    cause: code,
    lostAnswer,
  };
}

function chooseWait(
  verdict: Verdict,
  attempt: number,
  policy: RetryPolicy,
): number {
  if (verdict.retryAfterMs !== undefined) {
    return Math.min(verdict.retryAfterMs, MAX_RETRY_AFTER_MS);
  }
  return backoffDelay(attempt, policy.random);
}

function retryLine(
  label: string,
  verdict: Verdict,
  attempt: number,
  policy: RetryPolicy,
  waitMs: number,
): string {
  const seconds = (waitMs / 1_000).toFixed(1);
  return (
    `${label}: ${verdict.cause} on attempt ${attempt}/${policy.maxAttempts}; ` +
    `retrying in ${seconds} s`
  );
}

function deadlineLine(
  label: string,
  verdict: Verdict,
  attempt: number,
  policy: RetryPolicy,
): string {
  const seconds = Math.round(policy.deadlineMs / 1_000);
  return (
    `${label}: ${verdict.cause} on attempt ${attempt}/${policy.maxAttempts}; ` +
    `giving up, as another attempt would pass the ${seconds} s deadline`
  );
}
