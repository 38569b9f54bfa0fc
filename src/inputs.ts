/**
 * Reads the action's inputs and environment into one typed, validated
 * settings object. Nothing here touches the network.
 */
import * as core from "@actions/core";
import { tmpdir } from "node:os";
import path from "node:path";
import { InputError } from "./errors.js";
import {
  readBoolean,
  readChoice,
  readDirectory,
  readNumber,
  type Get,
} from "./input-values.js";
import type { ApiRoutes, EntryKind } from "./registry/types.js";
import { parseStrictVersion } from "./version.js";

/** Input names: a contract with users, defined once. */
export const INPUT = {
  command: "command",
  kind: "kind",
  cloudUrl: "cloud-url",
  apiRoutes: "api-routes",
  accessToken: "access-token",
  source: "source",
  publisher: "publisher",
  name: "name",
  version: "version",
  tagPrefix: "tag-prefix",
  versionFile: "version-file",
  schema: "schema",
  readme: "readme",
  installationConfiguration: "installation-configuration",
  templateDirectory: "template-directory",
  maxArchiveSize: "max-archive-size",
  workingDirectory: "working-directory",
  publishedAt: "published-at",
  ifExists: "if-exists",
  force: "force",
  ifMissing: "if-missing",
  limit: "limit",
  since: "since",
  org: "org",
  visibility: "visibility",
  search: "search",
  dryRun: "dry-run",
  maxAttempts: "max-attempts",
  requestTimeout: "request-timeout",
  summary: "summary",
  oidcOrganization: "oidc-organization",
  oidcRequestedTokenType: "oidc-requested-token-type",
  oidcScope: "oidc-scope",
  oidcTokenExpiration: "oidc-token-expiration",
  exportToken: "export-token",
  provider: "provider",
  providerParameters: "provider-parameters",
  pulumiVersion: "pulumi-version",
} as const;

export const COMMANDS = [
  "publish",
  "unpublish",
  "show",
  "list",
  "plan-backfill",
] as const;
export type Command = (typeof COMMANDS)[number];
export type IfMissing = "fail" | "ignore";
/** `published-at` values that are read from git when the command runs. */
export type GitDate = "tag-date" | "commit-date";
export type IfExists = "fail" | "skip" | "verify";

/** Where the access token came from; the value itself is never logged. */
export type TokenSource = "input" | "env" | "oidc";

/** The kinds of token the OIDC exchange can ask for. */
export type OidcTokenType = "organization" | "team" | "personal";

/** How to exchange the job's GitHub ID token for a Pulumi access token. */
export interface OidcSettings {
  organization: string;
  requestedTokenType: OidcTokenType;
  /** `team:NAME` or `user:LOGIN`. */
  scope?: string;
  expirationSeconds?: number;
}

/** Where the schema comes from when `provider` is set. */
export interface ProviderSettings {
  /** A plugin name with an optional `@version`, a path, or a git URL. */
  source: string;
  /** Passed after `--` to `pulumi package get-schema`. */
  parameters: string[];
  /** A version, or `latest`; used only when `pulumi` is not on PATH. */
  pulumiVersion: string;
}

/** The run's git ref, as the runner describes it. */
export interface GitRef {
  /** `GITHUB_REF`, e.g. `refs/tags/v1.2.3`. */
  ref?: string;
}

/** Every input and the environment, typed and validated. */
export interface Settings {
  command: Command;
  kind: EntryKind;
  cloudUrl: string;
  apiRoutes: ApiRoutes;
  token?: string;
  tokenSource?: TokenSource;
  source: string;
  publisher?: string;
  name?: string;
  /** The `version` input, unchecked; `resolveVersion` validates it. */
  version?: string;
  tagPrefix: string;
  /** Absolute path of `version-file`, when the input was given. */
  versionFile?: string;
  /** Absolute paths of the package inputs, when given. */
  schema?: string;
  readme?: string;
  installationConfiguration?: string;
  templateDirectory: string;
  maxArchiveBytes: number;
  workingDirectory: string;
  /** An RFC 3339 timestamp; filled from git when `publishedAtFrom` is set. */
  publishedAt?: string;
  /** `published-at: tag-date | commit-date`, resolved at command time. */
  publishedAtFrom?: GitDate;
  ifExists: IfExists;
  /** unpublish: allow deleting a template's last version. */
  force: boolean;
  /** show: what a missing version does. */
  ifMissing: IfMissing;
  /** list and plan-backfill: the most entries to return. */
  limit?: number;
  /** plan-backfill: the lowest version to plan, a strict semver. */
  since?: string;
  /** list filters. */
  org?: string;
  visibility?: "public" | "private";
  search?: string;
  dryRun: boolean;
  maxAttempts: number;
  requestTimeoutMs: number;
  summary: boolean;
  git: GitRef;
  /** `GITHUB_WORKSPACE`, or the current directory outside a runner. */
  workspace: string;
  /** `RUNNER_TEMP`, where built artifacts go; never the user's tree. */
  tempDir: string;
  /** Set when `oidc-organization` is given. */
  oidc?: OidcSettings;
  /** Export the token as `PULUMI_ACCESS_TOKEN` for later steps. */
  exportToken: boolean;
  /** Set when the schema comes from `pulumi package get-schema`. */
  provider?: ProviderSettings;
}

/** Reads one input by name; empty string when unset. */
export type InputReader = (name: string) => string;

const DEFAULT_CLOUD_URL = "https://api.pulumi.com";
const PACKAGE_SOURCES = ["pulumi", "opentofu", "private"];
const MB = 1024 * 1024;

/** Reads the settings through `@actions/core`, masking the token at once. */
export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const settings = parseSettings((name) => core.getInput(name), env);
  if (settings.token) core.setSecret(settings.token);
  return settings;
}

/** Builds settings from raw input values; throws `InputError` on bad input. */
export function parseSettings(
  read: InputReader,
  env: NodeJS.ProcessEnv,
): Settings {
  const get = (name: string) => read(name).trim() || undefined;
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd());
  const workingDirectory = readDirectory(
    INPUT.workingDirectory,
    path.resolve(workspace, get(INPUT.workingDirectory) ?? "."),
  );
  const inWorkingDir = (value?: string) =>
    value === undefined ? undefined : path.resolve(workingDirectory, value);
  const kind = readChoice(get, INPUT.kind, ["package", "template"], "package");
  const { token, tokenSource } = readToken(get, env);
  const command = readChoice(get, INPUT.command, COMMANDS, "publish");

  return {
    command,
    kind,
    cloudUrl: readCloudUrl(get(INPUT.cloudUrl), env),
    apiRoutes: readChoice(
      get,
      INPUT.apiRoutes,
      ["auto", "stable", "preview"],
      "auto",
    ),
    token,
    tokenSource,
    source: readSource(get(INPUT.source) ?? "private", kind),
    publisher: get(INPUT.publisher),
    name: get(INPUT.name),
    version: readVersionInput(get, command),
    tagPrefix: read(INPUT.tagPrefix).trim(),
    versionFile: inWorkingDir(get(INPUT.versionFile)),
    schema: inWorkingDir(get(INPUT.schema)),
    readme: inWorkingDir(get(INPUT.readme)),
    installationConfiguration: inWorkingDir(
      get(INPUT.installationConfiguration),
    ),
    templateDirectory: path.resolve(
      workingDirectory,
      get(INPUT.templateDirectory) ?? ".",
    ),
    maxArchiveBytes:
      readNumber(get, INPUT.maxArchiveSize, 50, { min: 0.001 }) * MB,
    workingDirectory,
    publishedAt: readTimestamp(get(INPUT.publishedAt)),
    publishedAtFrom: readGitDate(get(INPUT.publishedAt)),
    ifExists: readChoice(
      get,
      INPUT.ifExists,
      ["fail", "skip", "verify"],
      "fail",
    ),
    dryRun: readBoolean(get, INPUT.dryRun, false),
    force: readBoolean(get, INPUT.force, false),
    ifMissing: readChoice(get, INPUT.ifMissing, ["fail", "ignore"], "fail"),
    limit: readLimit(get),
    since: readSince(get(INPUT.since)),
    org: get(INPUT.org),
    visibility:
      get(INPUT.visibility) === undefined
        ? undefined
        : readChoice<"public" | "private">(
            get,
            INPUT.visibility,
            ["public", "private"],
            "public",
          ),
    search: get(INPUT.search),
    maxAttempts: readNumber(get, INPUT.maxAttempts, 5, {
      min: 1,
      max: 20,
      integer: true,
    }),
    requestTimeoutMs:
      readNumber(get, INPUT.requestTimeout, 120, { min: 1, max: 3600 }) * 1000,
    summary: readBoolean(get, INPUT.summary, true),
    git: { ref: env.GITHUB_REF || undefined },
    workspace,
    tempDir: path.resolve(env.RUNNER_TEMP || tmpdir()),
    oidc: readOidc(get),
    exportToken: readBoolean(get, INPUT.exportToken, false),
    provider: readProvider(read, get, kind),
  };
}

const OIDC_TOKEN_TYPES: OidcTokenType[] = ["organization", "team", "personal"];
/** Team and personal tokens must name their team or user in the scope. */
const SCOPE_PREFIX: Record<OidcTokenType, string | undefined> = {
  organization: undefined,
  team: "team:",
  personal: "user:",
};

function readOidc(get: Get): OidcSettings | undefined {
  const organization = get(INPUT.oidcOrganization);
  const requestedTokenType = readChoice(
    get,
    INPUT.oidcRequestedTokenType,
    OIDC_TOKEN_TYPES,
    "organization",
  );
  const scope = get(INPUT.oidcScope);
  const expiration = get(INPUT.oidcTokenExpiration);
  if (organization === undefined) return undefined;
  checkOidcScope(scope, requestedTokenType);
  return {
    organization,
    requestedTokenType,
    scope,
    expirationSeconds:
      expiration === undefined
        ? undefined
        : readNumber(get, INPUT.oidcTokenExpiration, 0, {
            min: 1,
            integer: true,
          }),
  };
}

/**
 * Pulumi's token exchange takes no scope or `admin` for an organization
 * token, and the team's or user's name for the other kinds.
 */
function checkOidcScope(scope: string | undefined, type: OidcTokenType) {
  const prefix = SCOPE_PREFIX[type];
  if (prefix === undefined) return checkOrganizationScope(scope);
  if (scope !== undefined && scope.length > prefix.length) {
    if (scope.startsWith(prefix)) return;
  }
  const example = `${prefix}${type === "team" ? "NAME" : "LOGIN"}`;
  throw new InputError(
    `Input "${INPUT.oidcScope}" is "${scope ?? ""}", but a ${type} token ` +
      `needs the scope "${example}". Set "${INPUT.oidcScope}" to it.`,
    { input: INPUT.oidcScope },
  );
}

function checkOrganizationScope(scope: string | undefined) {
  if (scope === undefined || scope === "admin") return;
  const type = Object.entries(SCOPE_PREFIX).find(
    ([, prefix]) => prefix && scope.startsWith(prefix),
  )?.[0];
  const fix = type
    ? `Set "${INPUT.oidcRequestedTokenType}: ${type}" for that scope, or ` +
      `remove "${INPUT.oidcScope}".`
    : `Remove "${INPUT.oidcScope}", or set it to "admin".`;
  throw new InputError(
    `Input "${INPUT.oidcScope}" is "${scope}", but an organization token ` +
      `takes no scope or "admin". ${fix}`,
    { input: INPUT.oidcScope },
  );
}

function readProvider(
  read: InputReader,
  get: Get,
  kind: EntryKind,
): ProviderSettings | undefined {
  const source = get(INPUT.provider);
  const parameters = read(INPUT.providerParameters)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
  if (source === undefined) {
    if (parameters.length === 0) return undefined;
    throw new InputError(
      `Input "${INPUT.providerParameters}" is set without "${INPUT.provider}". ` +
        `Set "${INPUT.provider}" to the provider the parameters are for.`,
      { input: INPUT.providerParameters },
    );
  }
  if (get(INPUT.schema) !== undefined) {
    throw new InputError(
      `Inputs "${INPUT.schema}" and "${INPUT.provider}" are both set. ` +
        `Give one: "${INPUT.schema}" for a schema file, or ` +
        `"${INPUT.provider}" to get the schema with the Pulumi CLI.`,
      { input: INPUT.provider },
    );
  }
  if (kind !== "package") {
    throw new InputError(
      `Input "${INPUT.provider}" is set, but kind is "${kind}". ` +
        `A provider gives a package schema: use it with kind "package".`,
      { input: INPUT.provider },
    );
  }
  return {
    source,
    parameters,
    pulumiVersion: readPulumiVersion(get(INPUT.pulumiVersion) ?? "latest"),
  };
}

function readPulumiVersion(value: string): string {
  if (value === "latest") return value;
  const version = value.replace(/^v/, "");
  if (/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) return version;
  throw new InputError(
    `Input "${INPUT.pulumiVersion}" is "${value}", which is neither ` +
      `"latest" nor a version such as "3.150.0".`,
    { input: INPUT.pulumiVersion },
  );
}

function readToken(
  get: Get,
  env: NodeJS.ProcessEnv,
): { token?: string; tokenSource?: TokenSource } {
  const fromInput = get(INPUT.accessToken);
  if (fromInput) return checkedToken(fromInput, "input", INPUT.accessToken);
  const fromEnv = env.PULUMI_ACCESS_TOKEN?.trim();
  if (fromEnv) return checkedToken(fromEnv, "env", "PULUMI_ACCESS_TOKEN");
  return {};
}

/** A token with white space inside was pasted badly; never quote it. */
function checkedToken(token: string, tokenSource: TokenSource, input: string) {
  if (!/\s/.test(token)) return { token, tokenSource };
  throw new InputError(
    `The access token from ${input} holds white space or a line break, so ` +
      `it cannot be sent. Store the token again as a single line.`,
    { input },
  );
}

/**
 * The cloud URL must be https, or plain http only on a loopback host (the
 * local registry): a token sent over plain http elsewhere could be read.
 */
function readCloudUrl(value: string | undefined, env: NodeJS.ProcessEnv) {
  const backend = env.PULUMI_BACKEND_URL?.trim();
  const fallback =
    backend && /^https?:\/\//i.test(backend) ? backend : DEFAULT_CLOUD_URL;
  const raw = value ?? fallback;
  const input = value === undefined ? "PULUMI_BACKEND_URL" : INPUT.cloudUrl;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(
      `Input "${INPUT.cloudUrl}" is "${raw}", which is not a URL. ` +
        `Use the API origin, such as "${DEFAULT_CLOUD_URL}".`,
      { input },
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new InputError(
      `The cloud URL "${raw}" (from ${input}) must use https.`,
      { input },
    );
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    throw new InputError(
      `The cloud URL "${raw}" (from ${input}) uses plain http, which would ` +
        `send the access token unencrypted. Use https; plain http is ` +
        `allowed only for a loopback host such as 127.0.0.1.`,
      { input },
    );
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new InputError(
      `The cloud URL "${url.origin}${url.pathname}" (from ${input}) must not ` +
        `carry credentials, a query or a fragment. Give the API origin only.`,
      { input },
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return (
    host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host)
  );
}

function readSource(value: string, kind: EntryKind): string {
  if (kind === "template" && value !== "private") {
    throw new InputError(
      `Input "${INPUT.source}" is "${value}", but templates can only be ` +
        `published to the "private" source. Remove the input or set it ` +
        `to "private".`,
      { input: INPUT.source },
    );
  }
  if (!PACKAGE_SOURCES.includes(value)) {
    throw new InputError(
      `Input "${INPUT.source}" is "${value}", which is not a registry ` +
        `source. Use one of: ${PACKAGE_SOURCES.join(", ")} ` +
        `(private for your organization's own packages).`,
      { input: INPUT.source },
    );
  }
  return value;
}

const RFC3339 =
  /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

const GIT_DATES: readonly string[] = ["tag-date", "commit-date"];

function readGitDate(value: string | undefined): GitDate | undefined {
  return value !== undefined && GIT_DATES.includes(value)
    ? (value as GitDate)
    : undefined;
}

function readTimestamp(value: string | undefined): string | undefined {
  if (value === undefined || readGitDate(value)) return undefined;
  const time = Date.parse(value);
  if (!RFC3339.test(value) || Number.isNaN(time)) {
    throw new InputError(
      `Input "${INPUT.publishedAt}" is "${value}", which is not an RFC 3339 ` +
        `timestamp. Use a form such as "2024-05-01T12:00:00Z", or "tag-date" ` +
        `or "commit-date" to read the date from git.`,
      { input: INPUT.publishedAt },
    );
  }
  if (time > Date.now() + 60_000) {
    throw new InputError(
      `Input "${INPUT.publishedAt}" is "${value}", which is in the future. ` +
        `Give the time the version was originally released.`,
      { input: INPUT.publishedAt },
    );
  }
  return value;
}

/** The `version` input stays raw; `latest` is accepted only by `show`. */
function readVersionInput(get: Get, command: Command): string | undefined {
  const value = get(INPUT.version);
  if (value !== "latest" || command === "show") return value;
  throw new InputError(
    `Input "${INPUT.version}" is "latest", which only "command: show" ` +
      `accepts. Give an exact version such as "1.2.3".`,
    { input: INPUT.version },
  );
}

function readLimit(get: Get): number | undefined {
  if (get(INPUT.limit) === undefined) return undefined;
  return readNumber(get, INPUT.limit, 0, { min: 1, integer: true });
}

function readSince(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const version = parseStrictVersion(value);
  if (version) return version;
  throw new InputError(
    `Input "${INPUT.since}" is "${value}", which is not a semantic version. ` +
      `Use the full form, such as "1.0.0".`,
    { input: INPUT.since },
  );
}
