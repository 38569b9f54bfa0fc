/**
 * Calls to the registry API at cloud-url: the one place that adds the
 * Authorization header, and only to requests for the cloud-url origin.
 */
import type { Dispatcher } from "undici";

import { InputError, type RegistryError } from "../errors.js";
import { httpFailure, networkFailure, type FailedCall } from "./failure.js";
import { sendForText, type HttpAnswer, type HttpContext } from "./http.js";
import { withRetries } from "./retry.js";

const API_ACCEPT = "application/vnd.pulumi+8";

/** One API call, described before it is sent. */
export interface ApiCall {
  method: Dispatcher.HttpMethod;
  /** The API path, such as `/api/registry/packages`, without the prefix. */
  path: string;
  query?: URLSearchParams;
  /** A JSON body. */
  json?: unknown;
  /** A form body (`application/x-www-form-urlencoded`). */
  form?: Record<string, string>;
  /** Send no Authorization header even when a token is set. */
  anonymous?: boolean;
  /** Non-2xx statuses handed back to the caller instead of thrown. */
  passStatuses?: number[];
}

/** The answer to an API call, with what the retries went through. */
export interface ApiResult extends HttpAnswer {
  attempts: number;
  lostAnswer: boolean;
  /** The call as an error message would name it. */
  call: FailedCall;
}

/** Sends API calls to cloud-url with the retry policy and error handling. */
export class ApiTransport {
  readonly origin: string;
  private readonly basePath: string;

  constructor(
    private readonly context: HttpContext,
    cloudUrl: string,
    private readonly token: string | undefined,
  ) {
    const url = parseCloudUrl(cloudUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, "");
  }

  /**
   * Sends `call`, retrying as the policy allows. Returns 2xx answers and
   * those in `passStatuses`; throws a `RegistryError` for anything else.
   */
  async call(call: ApiCall): Promise<ApiResult> {
    const path = this.basePath + call.path;
    const query = call.query?.toString() ?? "";
    const request = {
      method: call.method,
      origin: this.origin,
      path: query === "" ? path : `${path}?${query}`,
      headers: this.headersFor(call),
      body: encodeBody(call),
      timeoutMs: this.context.requestTimeoutMs,
    };
    const label = `${call.method} ${path}`;
    const outcome = await withRetries(
      label,
      this.context.policy,
      this.context.logger,
      (attempt) => sendForText(this.context, request, attempt),
    );
    const failed: FailedCall = {
      method: call.method,
      path,
      attempts: outcome.attempts,
      lostAnswer: outcome.lostAnswer,
      timeoutMs: request.timeoutMs,
      secrets: this.token === undefined ? [] : [this.token],
    };
    if (outcome.kind === "error") {
      throw networkFailure(failed, this.origin, outcome.error);
    }
    const result: ApiResult = {
      ...outcome.answer,
      attempts: outcome.attempts,
      lostAnswer: outcome.lostAnswer,
      call: failed,
    };
    if (isSuccess(result.status)) return result;
    if (call.passStatuses?.includes(result.status)) return result;
    throw httpFailure(failed, result);
  }

  /** The error a passed-through answer would have raised. */
  failureOf(result: ApiResult): RegistryError {
    return httpFailure(result.call, result);
  }

  private headersFor(call: ApiCall): Record<string, string> {
    const headers: Record<string, string> = {
      accept: API_ACCEPT,
      "user-agent": this.context.userAgent,
      "content-type":
        call.form === undefined
          ? "application/json"
          : "application/x-www-form-urlencoded",
    };
    if (this.token !== undefined && !call.anonymous) {
      headers.authorization = `token ${this.token}`;
    }
    return headers;
  }
}

/** Whether `status` is a 2xx. */
export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

function encodeBody(call: ApiCall): string | undefined {
  if (call.form !== undefined) {
    return new URLSearchParams(call.form).toString();
  }
  return call.json === undefined ? undefined : JSON.stringify(call.json);
}

function parseCloudUrl(cloudUrl: string): URL {
  let url: URL;
  try {
    url = new URL(cloudUrl);
  } catch {
    throw new InputError(
      `cloud-url "${cloudUrl}" is not a URL; ` +
        `use the API's address, such as https://api.pulumi.com`,
      { input: "cloud-url" },
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new InputError(
      `cloud-url "${cloudUrl}" must start with https:// or http://`,
      { input: "cloud-url" },
    );
  }
  return url;
}
