/**
 * The registry's two-phase publish: start, upload every artifact to its
 * pre-signed URL in parallel, complete. Decides on status codes only, and
 * never reports a version as published unless the registry holds it.
 */
import {
  ActionError,
  ConflictError,
  ProtocolError,
  RegistryError,
} from "./errors.js";
import type { Artifact } from "./artifacts/files.js";
import type { IfExists } from "./inputs.js";
import type { Logger } from "./logger.js";
import type { RegistryClient } from "./registry/client.js";
import type { EntryRef, StartPublishResponse } from "./registry/types.js";
import { verifyExisting } from "./verify.js";
import { createdAt, describeEntry, getVersion } from "./entries.js";

/** The registry calls the workflow needs; a `RegistryClient` has them all. */
export type PublishClient = Pick<
  RegistryClient,
  | "startPublish"
  | "upload"
  | "completePublish"
  | "getPackageVersion"
  | "getTemplateVersion"
  | "download"
>;

export interface PublishRequest {
  ref: EntryRef;
  version: string;
  publishedAt?: string;
  artifacts: Artifact[];
  ifExists: IfExists;
  /** Where `if-exists: verify` downloads the published files. */
  tempDir: string;
}

export type PublishStatus = "published" | "skipped";

export interface PublishOutcome {
  status: PublishStatus;
  operationId?: string;
  /** When the registry says the version was created. */
  publishedAt?: string;
  /** One sentence for the log and the summary. */
  message: string;
}

/** How many times an upload URL refused by storage restarts the publish. */
const MAX_RESTARTS = 2;

/** Publishes one version; a conflict is settled by `ifExists`. */
export async function publishVersion(
  client: PublishClient,
  request: PublishRequest,
  logger: Logger,
): Promise<PublishOutcome> {
  for (let restart = 0; ; restart++) {
    const started = await start(client, request, logger);
    if ("status" in started) return started;
    try {
      await uploadAll(client, started, request, logger);
    } catch (error) {
      if (!isRefusedUpload(error)) throw error;
      if (restart >= MAX_RESTARTS) throw refusedTooOften(error);
      logger.warning(
        `Storage refused an upload (${(error as Error).message}); the ` +
          `upload URLs may have expired. Starting the publish again ` +
          `(${restart + 1} of ${MAX_RESTARTS}).`,
      );
      continue;
    }
    return complete(client, started.operationID, request, logger);
  }
}

async function start(
  client: PublishClient,
  request: PublishRequest,
  logger: Logger,
): Promise<StartPublishResponse | PublishOutcome> {
  const { ref, version, publishedAt } = request;
  try {
    const started = await client.startPublish(ref, { version, publishedAt });
    logger.info(`Started publish operation ${started.operationID}.`);
    checkUploadUrls(started, request.artifacts);
    return started;
  } catch (error) {
    if (error instanceof ConflictError) {
      return settleConflict(client, request, logger);
    }
    throw error;
  }
}

function checkUploadUrls(started: StartPublishResponse, artifacts: Artifact[]) {
  const missing = artifacts.filter((a) => !started.uploadURLs[a.name]);
  if (missing.length > 0) {
    throw new ProtocolError(
      `The registry's start answer has no upload URL for ` +
        `${missing.map((a) => a.name).join(", ")}.`,
    );
  }
}

async function uploadAll(
  client: PublishClient,
  started: StartPublishResponse,
  request: PublishRequest,
  logger: Logger,
): Promise<void> {
  await Promise.all(
    request.artifacts.map(async (artifact) => {
      const began = Date.now();
      await client.upload(
        started.uploadURLs[artifact.name],
        artifact,
        started.requiredHeaders,
      );
      logger.info(
        `Uploaded ${artifact.name} (${artifact.bytes} bytes) in ` +
          `${Date.now() - began} ms.`,
      );
    }),
  );
}

async function complete(
  client: PublishClient,
  operationId: string,
  request: PublishRequest,
  logger: Logger,
): Promise<PublishOutcome> {
  const { ref, version } = request;
  const what = describeEntry(ref, version);
  try {
    await client.completePublish(ref, version, operationId);
  } catch (error) {
    if (error instanceof ConflictError && !error.afterLostAnswer) {
      return settleConflict(client, request, logger);
    }
    if (!mayHaveCompleted(error)) throw error;
    return confirmAfterLostAnswer(client, request, operationId, error, logger);
  }
  const metadata = await getVersion(client, ref, version);
  if (!metadata) {
    throw new ProtocolError(
      `The registry accepted the complete call for ${what} ` +
        `but does not return the version when asked for it.`,
    );
  }
  return {
    status: "published",
    operationId,
    publishedAt: createdAt(metadata) ?? request.publishedAt,
    message: `Published ${what}.`,
  };
}

/**
 * A complete call whose answer was lost may have succeeded: the registry's
 * own record decides, so a job never goes red for a live version.
 */
async function confirmAfterLostAnswer(
  client: PublishClient,
  request: PublishRequest,
  operationId: string,
  error: unknown,
  logger: Logger,
): Promise<PublishOutcome> {
  logger.info(
    `The complete call's outcome is unknown (${(error as Error).message}); ` +
      `reading the version back to find out.`,
  );
  let metadata;
  try {
    metadata = await getVersion(client, request.ref, request.version);
  } catch (readError) {
    throw unknownOutcome(request, error, readError);
  }
  if (!metadata) throw error;
  const what = describeEntry(request.ref, request.version);
  logger.info(`Confirmed: the registry holds ${what}.`);
  return {
    status: "published",
    operationId,
    publishedAt: createdAt(metadata) ?? request.publishedAt,
    message: `Published ${what} (confirmed by reading it back).`,
  };
}

async function settleConflict(
  client: PublishClient,
  request: PublishRequest,
  logger: Logger,
): Promise<PublishOutcome> {
  const what = describeEntry(request.ref, request.version);
  if (request.ifExists === "fail") {
    throw new ConflictError(
      `${what} already exists in the registry. ` +
        `Versions cannot be replaced: publish a new ` +
        `version, or set "if-exists: skip" (or "verify") to let reruns pass.`,
    );
  }
  const existing = await getVersion(client, request.ref, request.version);
  if (!existing) {
    throw new ProtocolError(
      `The registry answered that ${what} already exists, but does not ` +
        `return it when asked for it, so it cannot be reported as published. ` +
        `Check the version in Pulumi Cloud, then run the job again.`,
    );
  }
  const publishedAt = createdAt(existing) ?? request.publishedAt;
  if (request.ifExists === "verify") {
    const { compared, notCompared } = await verifyExisting(
      client,
      request,
      existing,
      logger,
    );
    const unchecked = notCompared.length
      ? ` (${notCompared.join(", ")} not compared: the registry offers ` +
        `no download of it)`
      : "";
    return {
      status: "skipped",
      publishedAt,
      message:
        `${what} already exists with identical ${compared.join(", ")}` +
        `${unchecked}; skipped.`,
    };
  }
  logger.warning(`${what} already exists; skipping (if-exists: skip).`);
  return {
    status: "skipped",
    publishedAt,
    message: `${what} already exists; skipped.`,
  };
}

/**
 * Errors after which the registry may still have stored the version: any
 * failure that followed a lost answer, and any that is itself one.
 */
function mayHaveCompleted(error: unknown): boolean {
  if (error instanceof ConflictError) return error.afterLostAnswer;
  if (!(error instanceof RegistryError)) return false;
  if (error.details.afterLostAnswer) return true;
  const status = error.status;
  return status === undefined || status >= 500 || status === 408;
}

/**
 * Neither the complete call nor the read-back answered: the version may or
 * may not be live, and the error says so rather than guess.
 */
function unknownOutcome(
  request: PublishRequest,
  error: unknown,
  readError: unknown,
): ActionError {
  const what = describeEntry(request.ref, request.version);
  return new ActionError(
    "unknown-outcome",
    `Whether ${what} was published is unknown: the answer to the complete ` +
      `call was lost (${(error as Error).message}) and reading the version ` +
      `back failed too (${(readError as Error).message}). Check the version ` +
      `in Pulumi Cloud, or rerun the job with "if-exists: verify" (or ` +
      `"skip"), which passes if it was published.`,
  );
}

/** The last refusal, told as what it is after every restart was spent. */
function refusedTooOften(error: RegistryError): RegistryError {
  return new RegistryError(
    `Storage refused the uploads of ${MAX_RESTARTS + 1} publish attempts, ` +
      `each with fresh upload URLs (last: ${error.message}). The URLs may ` +
      `expire before the uploads finish: check the runner's clock and ` +
      `network, then run the job again.`,
    error.details,
  );
}

function isRefusedUpload(error: unknown): error is RegistryError {
  return (
    error instanceof RegistryError &&
    error.details.storage === true &&
    error.status === 403
  );
}
