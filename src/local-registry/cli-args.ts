import type {
  FaultOptions,
  FaultRoute,
  LocalRegistryOptions,
} from "./types.js";

/** What the command line asks for. */
export interface CliArgs {
  options: LocalRegistryOptions;
  json: boolean;
  help: boolean;
}

/** A command line the CLI cannot run; the message says what to change. */
export class CliUsageError extends Error {
  override readonly name = "CliUsageError";
}

/** What a started registry prints: the URLs and a token to use. */
export interface ReadyInfo {
  apiUrl: string;
  storageUrl: string;
  token: string;
}

const FAULT_ROUTES: FaultRoute[] = [
  "start",
  "upload",
  "complete",
  "get",
  "list",
  "delete",
];

type Setter = (args: CliArgs, value: string, flag: string) => void;

const SWITCHES: Record<string, (args: CliArgs) => void> = {
  "--help": (args) => (args.help = true),
  "-h": (args) => (args.help = true),
  "--json": (args) => (args.json = true),
  "--no-stable-routes": (args) => (routes(args).stable = false),
  "--no-preview-routes": (args) => (routes(args).preview = false),
};

const VALUED: Record<string, Setter> = {
  "--host": (args, value) => (args.options.host = value),
  "--port": (args, value, flag) =>
    (args.options.apiPort = integer(flag, value, 0, 65535)),
  "--storage-port": (args, value, flag) =>
    (args.options.storagePort = integer(flag, value, 0, 65535)),
  "--token": (args, value) =>
    (args.options.tokens = [...(args.options.tokens ?? []), value]),
  "--data-dir": (args, value) => (args.options.dataDir = value),
  "--page-size": (args, value, flag) =>
    (args.options.pageSize = integer(flag, value, 1)),
  "--upload-url-ttl": (args, value, flag) =>
    (args.options.uploadUrlTtlSeconds = integer(flag, value, 1)),
  "--required-header": (args, value, flag) => requiredHeader(args, value, flag),
  "--seed": (args, value, flag) =>
    (faults(args).seed = integer(flag, value, 0)),
  "--error-rate": (args, value, flag) =>
    (faults(args).errorRate = rate(flag, value)),
  "--rate-limit-rate": (args, value, flag) =>
    (faults(args).rateLimitRate = rate(flag, value)),
  "--reset-rate": (args, value, flag) =>
    (faults(args).resetRate = rate(flag, value)),
  "--commit-then-drop-rate": (args, value, flag) =>
    (faults(args).commitThenDropRate = rate(flag, value)),
  "--latency-ms": (args, value, flag) =>
    (faults(args).latencyMs = integer(flag, value, 0)),
  "--fault-routes": (args, value, flag) =>
    (faults(args).routes = faultRoutes(flag, value)),
  "--oidc-id-token": (args, value) => (oidc(args).idToken = value),
  "--oidc-organization": (args, value) => (oidc(args).organization = value),
  "--oidc-default-organization": (args, value) =>
    (oidc(args).defaultOrganization = value),
};

/** Parses the CLI's arguments (without `node` and the script). */
export function parseArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = { options: {}, json: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = splitFlag(argv[i]);
    const toggle = own(SWITCHES, flag);
    if (toggle && inline !== undefined) {
      throw new CliUsageError(`option ${flag} takes no value`);
    }
    if (toggle) {
      toggle(args);
      continue;
    }
    const setter = own(VALUED, flag);
    if (!setter) throw new CliUsageError(`unknown option "${argv[i]}"`);
    const value = inline ?? argv[++i];
    if (value === undefined) {
      throw new CliUsageError(`option ${flag} needs a value`);
    }
    setter(args, value, flag);
  }
  checkOidc(args.options);
  return args;
}

/** The ready message: stdout, and in JSON mode a note for stderr. */
export function formatReady(
  info: ReadyInfo,
  json: boolean,
): { stdout: string; stderr: string } {
  if (json) {
    return {
      stdout: `${JSON.stringify(info)}\n`,
      stderr: "local registry ready; stop it with SIGINT or SIGTERM\n",
    };
  }
  const lines = [
    "Local Pulumi registry is running.",
    `  API:     ${info.apiUrl}`,
    `  storage: ${info.storageUrl}`,
    `  token:   ${info.token}`,
    "Publish to it with the action input and token, for example:",
    `  cloud-url: ${info.apiUrl}    PULUMI_ACCESS_TOKEN=${info.token}`,
    "Press Ctrl+C to stop.",
  ];
  return { stdout: `${lines.join("\n")}\n`, stderr: "" };
}

// Own keys only, so "constructor" and friends stay unknown options.
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function splitFlag(arg: string): [string, string | undefined] {
  const equals = arg.indexOf("=");
  if (!arg.startsWith("--") || equals < 0) return [arg, undefined];
  return [arg.slice(0, equals), arg.slice(equals + 1)];
}

function integer(flag: string, value: string, min: number, max?: number) {
  const number = Number(value);
  const fits = /^\d+$/.test(value) && number >= min;
  if (!fits || (max !== undefined && number > max)) {
    const range = max === undefined ? `${min} or more` : `${min}..${max}`;
    throw new CliUsageError(
      `${flag} must be a whole number ${range}, got "${value}"`,
    );
  }
  return number;
}

function rate(flag: string, value: string): number {
  const number = Number(value);
  if (value.trim() === "" || !(number >= 0 && number <= 1)) {
    throw new CliUsageError(
      `${flag} must be a share between 0 and 1, got "${value}"`,
    );
  }
  return number;
}

function faultRoutes(flag: string, value: string): FaultRoute[] {
  const names = value.split(",").map((name) => name.trim());
  for (const name of names) {
    if (!FAULT_ROUTES.includes(name as FaultRoute)) {
      throw new CliUsageError(
        `${flag}: unknown route "${name}"; use ${FAULT_ROUTES.join(",")}`,
      );
    }
  }
  return names as FaultRoute[];
}

function requiredHeader(args: CliArgs, value: string, flag: string): void {
  const match = /^([^:\s]+):\s*(.*)$/.exec(value);
  if (!match) {
    throw new CliUsageError(`${flag} must look like "Name: value"`);
  }
  args.options.requiredHeaders = {
    ...args.options.requiredHeaders,
    [match[1]]: match[2],
  };
}

function checkOidc(options: LocalRegistryOptions): void {
  const oidc = options.oidc;
  if (oidc && (!oidc.idToken || !oidc.organization)) {
    throw new CliUsageError(
      "OIDC needs both --oidc-id-token and --oidc-organization",
    );
  }
}

function faults(args: CliArgs): FaultOptions {
  return (args.options.faults ??= {});
}

function routes(args: CliArgs): { stable?: boolean; preview?: boolean } {
  return (args.options.routes ??= {});
}

function oidc(args: CliArgs) {
  return (args.options.oidc ??= { idToken: "", organization: "" });
}
