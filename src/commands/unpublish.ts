/**
 * `command: unpublish`: deletes one version, then reads it back to confirm
 * it is gone. A version already absent is a warning, not an error.
 */
import { setTimeout as delay } from "node:timers/promises";
import { InputError, ProtocolError, RegistryError } from "../errors.js";
import {
  createdAt,
  describeEntry,
  getVersion,
  registryUrl,
} from "../entries.js";
import { INPUT, type Settings } from "../inputs.js";
import type { Logger } from "../logger.js";
import type { RegistryClient } from "../registry/client.js";
import type { EntryRef } from "../registry/types.js";
import type { CommandReport } from "../report.js";
import { createClient } from "./client.js";
import { resolveExactVersion, resolveRef } from "./target.js";

/** The registry calls unpublish needs; a `RegistryClient` has them all. */
export type UnpublishClient = Pick<
  RegistryClient,
  "deleteVersion" | "getPackageVersion" | "getTemplateVersion"
>;

export interface UnpublishRequest {
  ref: EntryRef;
  version: string;
  /** Allow deleting a template's last version (and so the template). */
  force: boolean;
}

export interface UnpublishOutcome {
  status: "unpublished" | "absent" | "dry-run";
  message: string;
}

/** How patient the read-back is with a registry that answers stale reads. */
export interface ReadBackOptions {
  attempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Runs the unpublish command and returns its report. */
export async function runUnpublish(
  settings: Settings,
  logger: Logger,
): Promise<CommandReport> {
  const { ref, version, origin } = await logger.group("Check inputs", () =>
    prepare(settings, logger),
  );
  const client = createClient(settings, logger);
  try {
    const request = { ref, version, force: settings.force };
    const outcome = await logger.group(
      settings.dryRun ? "Dry run" : "Unpublish",
      () =>
        settings.dryRun
          ? planUnpublish(client, request, Boolean(settings.token))
          : unpublishVersion(client, request, logger),
    );
    if (outcome.status === "absent") logger.warning(outcome.message);
    else logger.info(outcome.message);
    return {
      command: "unpublish",
      status: outcome.status,
      kind: ref.kind,
      source: ref.source,
      publisher: ref.publisher,
      name: ref.name,
      version,
      url: registryUrl(ref, version),
      message: outcome.message,
      title: `unpublish ${ref.name}@${version}`,
      tables: [
        {
          header: ["Field", "Value"],
          rows: [
            [ref.kind === "package" ? "Package" : "Template", ref.name],
            ["Version", `${version} (from ${origin})`],
            ["Source / publisher", `${ref.source}/${ref.publisher}`],
            ["Result", outcome.status],
          ],
        },
      ],
    };
  } finally {
    await client.close();
  }
}

async function prepare(settings: Settings, logger: Logger) {
  const ref = await resolveRef(settings);
  const resolved = resolveExactVersion(settings);
  if (!settings.dryRun && !settings.token) {
    throw new InputError(
      `"command: unpublish" needs credentials to delete ` +
        `${describeEntry(ref, resolved.version)}. Set "${INPUT.accessToken}" ` +
        "or the PULUMI_ACCESS_TOKEN environment variable.",
      { input: INPUT.accessToken },
    );
  }
  logger.info(
    `${describeEntry(ref, resolved.version)} (version from ${resolved.detail})`,
  );
  return { ref, version: resolved.version, origin: resolved.detail };
}

/**
 * Deletes the version and confirms with a read that it is gone. A refused
 * delete of a template without `force` is explained as the last version.
 */
export async function unpublishVersion(
  client: UnpublishClient,
  request: UnpublishRequest,
  logger: Logger,
  options: ReadBackOptions = {},
): Promise<UnpublishOutcome> {
  const what = describeEntry(request.ref, request.version);
  let result: "deleted" | "absent";
  try {
    result = await client.deleteVersion(request.ref, request.version, {
      force: request.force,
    });
  } catch (error) {
    throw explainRefusal(error, request, what);
  }
  if (result === "absent") {
    return {
      status: "absent",
      message:
        `${what} is not in the registry (already unpublished?); ` +
        "there was nothing to delete.",
    };
  }
  logger.info(`Deleted ${what}; reading it back to confirm.`);
  await confirmGone(client, request, what, options);
  return { status: "unpublished", message: `Unpublished ${what}.` };
}

/** The 400 a template delete without force gets is its last version. */
function explainRefusal(
  error: unknown,
  request: UnpublishRequest,
  what: string,
): unknown {
  const lastVersion =
    error instanceof RegistryError &&
    error.status === 400 &&
    request.ref.kind === "template" &&
    !request.force;
  if (!lastVersion) return error;
  const said = error.details.serverMessage;
  return new InputError(
    `The registry refused to delete ${what} (HTTP 400` +
      `${said ? `: ${said}` : ""}). A template's last version can only be ` +
      `deleted with "${INPUT.force}: true", which deletes the template ` +
      `as well. Set "${INPUT.force}: true" if that is what you want.`,
    { input: INPUT.force },
  );
}

async function confirmGone(
  client: UnpublishClient,
  request: UnpublishRequest,
  what: string,
  { attempts = 3, sleep = delay }: ReadBackOptions,
): Promise<void> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const still = await getVersion(client, request.ref, request.version);
    if (!still) return;
    if (attempt < attempts) await sleep(1_000 * attempt);
  }
  throw new ProtocolError(
    `The registry accepted the delete of ${what}, but still returns the ` +
      `version after ${attempts} reads. Check it in Pulumi Cloud and run ` +
      "the step again; a second delete of an absent version passes.",
  );
}

/** A dry run says what would be deleted; with credentials, if it exists. */
export async function planUnpublish(
  client: UnpublishClient,
  request: UnpublishRequest,
  authenticated: boolean,
): Promise<UnpublishOutcome> {
  const what = describeEntry(request.ref, request.version);
  if (!authenticated) {
    return {
      status: "dry-run",
      message:
        `Dry run: ${what} would be deleted. No credentials were given, ` +
        "so whether it exists was not checked.",
    };
  }
  const existing = await getVersion(client, request.ref, request.version);
  if (!existing) {
    return {
      status: "dry-run",
      message: `Dry run: ${what} is not in the registry; nothing would be deleted.`,
    };
  }
  const lastNote =
    request.ref.kind === "template" && !request.force
      ? ` If it is the template's last version, the delete needs "${INPUT.force}: true".`
      : "";
  return {
    status: "dry-run",
    message:
      `Dry run: ${what} (published ${createdAt(existing) ?? "earlier"}) ` +
      `would be deleted.${lastNote}`,
  };
}
