/**
 * The registry client: one typed method per endpoint. Route choice, headers,
 * retries, timeouts and redaction live in the modules it composes.
 */
import { setTimeout as delay } from "node:timers/promises";
import type { Dispatcher } from "undici";

import { ConflictError } from "../errors.js";
import type { Logger } from "../logger.js";
import {
  readEntry,
  readObject,
  readPackageList,
  readStartAnswer,
  readStringField,
  readTemplateList,
} from "./answers.js";
import { ApiTransport, type ApiResult } from "./api.js";
import { downloadFile, type DownloadDigest } from "./download.js";
import { createDefaultDispatcher, type HttpContext } from "./http.js";
import type { RetryPolicy } from "./retry.js";
import {
  listPath,
  RouteSelector,
  STABLE_PROBE_PATH,
  versionsPath,
  type RouteFamily,
} from "./routes.js";
import type {
  ApiRoutes,
  EntryRef,
  ListPackagesQuery,
  ListPackagesResponse,
  ListTemplatesQuery,
  ListTemplatesResponse,
  PackageMetadata,
  StartPublishResponse,
  TemplateMetadata,
} from "./types.js";
import { uploadFile, type UploadFile } from "./upload.js";

export type { UploadFile } from "./upload.js";

const DEFAULT_DEADLINE_MS = 10 * 60 * 1_000;

/** How to reach the registry and how patient to be with it. */
export interface RegistryClientOptions {
  /** The API's address, possibly with a path prefix. */
  cloudUrl: string;
  /** Undefined for anonymous reads. */
  token?: string;
  apiRoutes: ApiRoutes;
  /** Attempts per call, at least 1. */
  maxAttempts: number;
  /** Per-attempt timeout; uploads get more time as they grow. */
  requestTimeoutMs: number;
  userAgent: string;
  logger: Logger;
  /** Default: an `EnvHttpProxyAgent`, which honours the proxy variables. */
  dispatcher?: Dispatcher;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** The clock for deadlines and `Retry-After` dates. Default: `Date.now`. */
  now?: () => number;
  /** Overall time for the attempts of one call. Default: 10 minutes. */
  deadlineMs?: number;
}

/** A client for the Pulumi Cloud registry API and its storage URLs. */
export class RegistryClient {
  private readonly context: HttpContext;
  private readonly api: ApiTransport;
  private readonly selector: RouteSelector;
  private readonly ownsDispatcher: boolean;

  constructor(options: RegistryClientOptions) {
    this.ownsDispatcher = options.dispatcher === undefined;
    this.context = {
      dispatcher: options.dispatcher ?? createDefaultDispatcher(),
      logger: options.logger,
      policy: retryPolicy(options),
      requestTimeoutMs: options.requestTimeoutMs,
      userAgent: options.userAgent,
    };
    this.api = new ApiTransport(this.context, options.cloudUrl, options.token);
    this.selector = new RouteSelector(
      options.apiRoutes,
      () => this.probeStableRoutes(),
      options.logger,
    );
  }

  /** Route family chosen for this run, after the first call. */
  get routes(): RouteFamily | undefined {
    return this.selector.family;
  }

  /** Lists packages, one page at a time. */
  async listPackages(query?: ListPackagesQuery): Promise<ListPackagesResponse> {
    const family = await this.selector.resolve();
    const path = listPath(family, "package");
    const result = await this.api.call({
      method: "GET",
      path,
      query: toSearchParams(query),
    });
    return readPackageList(result);
  }

  /** Lists templates, one page at a time. */
  async listTemplates(
    query?: ListTemplatesQuery,
  ): Promise<ListTemplatesResponse> {
    const family = await this.selector.resolve();
    const path = listPath(family, "template");
    const result = await this.api.call({
      method: "GET",
      path,
      query: toSearchParams(query),
    });
    return readTemplateList(result);
  }

  /**
   * Starts a publish, returning the operation and its upload URLs. Throws
   * `ConflictError` on 409 (the version exists).
   */
  async startPublish(
    ref: EntryRef,
    body: { version: string; publishedAt?: string },
  ): Promise<StartPublishResponse> {
    const family = await this.selector.resolve();
    const result = await this.api.call({
      method: "POST",
      path: versionsPath(family, ref),
      json: body,
      passStatuses: [409],
    });
    if (result.status === 409) throw this.conflict(result);
    return readStartAnswer(result, ref.kind);
  }

  /**
   * Completes a publish. Throws `ConflictError` on 409, and a 404
   * `RegistryError`; both say `afterLostAnswer` when an earlier attempt may
   * have completed it already.
   */
  async completePublish(
    ref: EntryRef,
    version: string,
    operationID: string,
  ): Promise<void> {
    const family = await this.selector.resolve();
    const result = await this.api.call({
      method: "POST",
      path: versionsPath(family, ref, version, true),
      json: { operationID },
      passStatuses: [409],
    });
    if (result.status === 409) throw this.conflict(result);
  }

  /** Gets one package version (or `latest`); undefined when absent. */
  async getPackageVersion(
    ref: EntryRef,
    version: string,
  ): Promise<PackageMetadata | undefined> {
    const result = await this.getVersion({ ...ref, kind: "package" }, version);
    return result && readEntry<PackageMetadata>(result);
  }

  /** Gets one template version (or `latest`); undefined when absent. */
  async getTemplateVersion(
    ref: EntryRef,
    version: string,
  ): Promise<TemplateMetadata | undefined> {
    const result = await this.getVersion({ ...ref, kind: "template" }, version);
    return result && readEntry<TemplateMetadata>(result);
  }

  /**
   * Deletes a version; `force` allows deleting a template's last one.
   * "absent" only when the version was not there before this call.
   */
  async deleteVersion(
    ref: EntryRef,
    version: string,
    options: { force?: boolean } = {},
  ): Promise<"deleted" | "absent"> {
    const family = await this.selector.resolve();
    const result = await this.api.call({
      method: "DELETE",
      path: versionsPath(family, ref, version),
      query: options.force ? new URLSearchParams({ force: "true" }) : undefined,
      passStatuses: [404],
    });
    // A 404 after an attempt whose answer was lost is that attempt's work.
    if (result.status === 404 && !result.lostAnswer) return "absent";
    return "deleted";
  }

  /** PUTs a file to a pre-signed URL, with no Authorization header. */
  async upload(
    url: string,
    file: UploadFile,
    requiredHeaders?: Record<string, string>,
  ): Promise<void> {
    await uploadFile(this.context, url, file, requiredHeaders);
  }

  /**
   * Downloads a pre-signed URL (schemaURL, readmeURL, downloadURL) to
   * `dest`, with no Authorization; returns its size and SHA-256 (hex).
   */
  async download(url: string, dest: string): Promise<DownloadDigest> {
    return downloadFile(this.context, url, dest);
  }

  /** The login of the token owner's default organization, if it has one. */
  async getDefaultOrganization(): Promise<string | undefined> {
    const result = await this.api.call({
      method: "GET",
      path: "/api/user/organizations/default",
      passStatuses: [404],
    });
    if (result.status === 404) return undefined;
    return readStringField(result, "GitHubLogin");
  }

  /**
   * Exchanges a token (`POST /api/oauth/token`, form encoded, sent without
   * Authorization) and returns the parsed answer.
   */
  async exchangeToken(
    form: Record<string, string>,
  ): Promise<{ access_token: string; [k: string]: unknown }> {
    const result = await this.api.call({
      method: "POST",
      path: "/api/oauth/token",
      form,
      anonymous: true,
    });
    const accessToken = readStringField(result, "access_token");
    return { ...readObject(result), access_token: accessToken };
  }

  /** Closes the connections of the default dispatcher, if this client made it. */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.context.dispatcher.close();
  }

  private async getVersion(
    ref: EntryRef,
    version: string,
  ): Promise<ApiResult | undefined> {
    const family = await this.selector.resolve();
    const result = await this.api.call({
      method: "GET",
      path: versionsPath(family, ref, version),
      passStatuses: [404],
    });
    return result.status === 404 ? undefined : result;
  }

  private async probeStableRoutes(): Promise<number> {
    const result = await this.api.call({
      method: "GET",
      path: STABLE_PROBE_PATH,
      query: new URLSearchParams({ limit: "1" }),
      passStatuses: [404],
    });
    return result.status;
  }

  private conflict(result: ApiResult): ConflictError {
    const error = this.api.failureOf(result);
    return new ConflictError(error.message, result.lostAnswer);
  }
}

function retryPolicy(options: RegistryClientOptions): RetryPolicy {
  return {
    maxAttempts: Math.max(1, Math.floor(options.maxAttempts)),
    deadlineMs: options.deadlineMs ?? DEFAULT_DEADLINE_MS,
    sleep: options.sleep ?? delay,
    random: options.random ?? Math.random,
    now: options.now ?? Date.now,
  };
}

function toSearchParams(
  query: object | undefined,
): URLSearchParams | undefined {
  if (query === undefined) return undefined;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  return params;
}
