/**
 * The access token a run uses: the `access-token` input, else
 * `PULUMI_ACCESS_TOKEN`, else a short-lived token that Pulumi Cloud gives in
 * exchange for the job's GitHub ID token when `oidc-organization` is set.
 */
import { createClient } from "./commands/client.js";
import { AuthError, RegistryError } from "./errors.js";
import type { OidcSettings, Settings, TokenSource } from "./inputs.js";
import type { Logger } from "./logger.js";

/** What the runner does for authentication; `main.ts` backs it. */
export interface AuthRunner {
  /** Asks GitHub for an ID token with this audience. */
  getIdToken(audience: string): Promise<string>;
  /** Masks a secret in every later line of the log. */
  setSecret(secret: string): void;
}

/** The token a run uses and where it came from; both unset when none. */
export interface Credentials {
  token?: string;
  tokenSource?: TokenSource;
}

const GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
const GITHUB_ISSUER = "https://token.actions.githubusercontent.com";

/** The audience Pulumi Cloud expects of an ID token for `organization`. */
export function audienceOf(organization: string): string {
  return `urn:pulumi:org:${organization}`;
}

/** The token type the exchange asks for. */
export function requestedTokenTypeOf(oidc: OidcSettings): string {
  return `urn:pulumi:token-type:access_token:${oidc.requestedTokenType}`;
}

/**
 * Picks the run's token. A token given as input or environment wins; else,
 * with `oidc-organization`, the job's ID token is exchanged. A dry run goes
 * on without credentials when the job has no ID token (pull requests from
 * forks have none).
 */
export async function authenticate(
  settings: Settings,
  runner: AuthRunner,
  logger: Logger,
): Promise<Credentials> {
  if (settings.token) {
    return { token: settings.token, tokenSource: settings.tokenSource };
  }
  const oidc = settings.oidc;
  if (!oidc) return {};
  return logger.group("Exchange the GitHub ID token", async () => {
    const idToken = await requestIdToken(oidc, runner, settings, logger);
    if (idToken === undefined) return {};
    const token = await exchangeIdToken(settings, idToken, runner, logger);
    return { token, tokenSource: "oidc" };
  });
}

/** The form `POST /api/oauth/token` takes. */
export function exchangeForm(
  oidc: OidcSettings,
  idToken: string,
): Record<string, string> {
  return {
    audience: audienceOf(oidc.organization),
    grant_type: GRANT_TYPE,
    subject_token_type: ID_TOKEN_TYPE,
    requested_token_type: requestedTokenTypeOf(oidc),
    subject_token: idToken,
    ...(oidc.scope === undefined ? {} : { scope: oidc.scope }),
    ...(oidc.expirationSeconds === undefined
      ? {}
      : { expiration: String(oidc.expirationSeconds) }),
  };
}

async function requestIdToken(
  oidc: OidcSettings,
  runner: AuthRunner,
  settings: Settings,
  logger: Logger,
): Promise<string | undefined> {
  const audience = audienceOf(oidc.organization);
  logger.info(`Requesting a GitHub ID token for audience "${audience}".`);
  let idToken: string;
  try {
    idToken = await withinTimeout(
      runner.getIdToken(audience),
      settings.requestTimeoutMs,
    );
  } catch (error) {
    if (error instanceof IdTokenTimeout) throw error;
    const failure = noIdToken(audience, error);
    if (!settings.dryRun) throw failure;
    logger.warning(`${failure.message} The dry run goes on without a token.`);
    return undefined;
  }
  runner.setSecret(idToken);
  return idToken;
}

/** The runner's ID-token service kept silent past `request-timeout`. */
class IdTokenTimeout extends AuthError {}

/**
 * `core.getIDToken` has no timeout of its own; a silent service must not
 * hang the job.
 */
async function withinTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new IdTokenTimeout(
            `The runner's ID-token service did not answer within ` +
              `${ms / 1000} s ("request-timeout"). Run the job again; if it ` +
              `persists, GitHub's token service may be down.`,
          ),
        ),
      ms,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function noIdToken(audience: string, cause: unknown): AuthError {
  const said = (cause instanceof Error ? cause.message : String(cause))
    .replace(/^Error message:\s*/, "")
    .replace(/\s+/g, " ")
    .trim();
  return new AuthError(
    `No GitHub ID token is available for audience "${audience}": the job ` +
      "lacks `permissions: id-token: write`. " +
      "Add `permissions: { id-token: write, contents: read }` to the " +
      "workflow or the job; pull requests from forks never get an ID token. " +
      `(The runner said: ${said})`,
    { cause },
  );
}

async function exchangeIdToken(
  settings: Settings,
  idToken: string,
  runner: AuthRunner,
  logger: Logger,
): Promise<string> {
  const oidc = settings.oidc!;
  const client = createClient({ ...settings, token: undefined }, logger);
  try {
    const answer = await client.exchangeToken(exchangeForm(oidc, idToken));
    runner.setSecret(answer.access_token);
    const lifetime =
      typeof answer.expires_in === "number"
        ? ` It expires in ${answer.expires_in} s.`
        : "";
    logger.info(
      `Pulumi Cloud issued a short-lived ${oidc.requestedTokenType} token for ` +
        `organization "${oidc.organization}".${lifetime}`,
    );
    return answer.access_token;
  } catch (error) {
    throw refusedExchange(error, oidc);
  } finally {
    await client.close();
  }
}

/** A 4xx says what was asked for and what the organization must trust. */
function refusedExchange(error: unknown, oidc: OidcSettings): unknown {
  const status = error instanceof RegistryError ? error.status : undefined;
  if (status === undefined || status < 400 || status >= 500) return error;
  const { serverMessage, requestId } = (error as RegistryError).details;
  const scope = oidc.scope === undefined ? "" : `, scope "${oidc.scope}"`;
  return new AuthError(
    `Pulumi Cloud refused the token exchange (HTTP ${status}` +
      `${serverMessage ? `: ${serverMessage}` : ""}). ` +
      `Requested: organization "${oidc.organization}", ` +
      `audience "${audienceOf(oidc.organization)}", ` +
      `token type "${requestedTokenTypeOf(oidc)}"${scope}. ` +
      `The organization "${oidc.organization}" must trust GitHub's issuer ` +
      `${GITHUB_ISSUER}: register it in Pulumi Cloud (Settings → OIDC ` +
      "Issuers) with a policy that admits this repository and token type." +
      (requestId ? ` Request ID: ${requestId}.` : ""),
    { cause: error },
  );
}
