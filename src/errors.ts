/**
 * Errors a user can act on. Each class has a stable `code`; `main.ts` alone
 * decides how an error ends the step.
 */

/** Base of every error the action raises on purpose. */
export class ActionError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Where a problem sits, so that it can be shown as a file annotation. */
export interface ErrorLocation {
  /** The action input at fault, such as `schema` or `version`. */
  input?: string;
  /** The file at fault, as the user wrote it or relative to the workspace. */
  file?: string;
  /** 1-based line in `file`, when known. */
  line?: number;
  /** 1-based column in `file`, when known. */
  column?: number;
}

/**
 * Bad input: a value, a file or the repository state. Always raised before
 * any write request is sent.
 */
export class InputError extends ActionError {
  readonly location: ErrorLocation;

  constructor(message: string, location: ErrorLocation = {}) {
    super("input", message);
    this.location = location;
  }
}

/** What the registry said about a failed call. */
export interface RegistryErrorDetails {
  method: string;
  /** The request path, never with a query string. */
  path: string;
  /** The HTTP status, or undefined when no answer arrived. */
  status?: number;
  /** `code` from the error body `{code, message, errors?}`. */
  serverCode?: number | string;
  /** `message` from the error body, shortened. */
  serverMessage?: string;
  /** `errors` from the error body. */
  serverErrors?: unknown[];
  /** The `X-Pulumi-Request-ID` header. */
  requestId?: string;
  /** True when the call went to a storage URL rather than the API. */
  storage?: boolean;
  /**
   * True when an earlier attempt of the same call may have reached the
   * server and its answer was lost (reset, timeout, 5xx), so a 404 or 409
   * now may be the echo of that earlier attempt's success.
   */
  afterLostAnswer?: boolean;
}

/** A registry or storage call that failed, with what the server said. */
export class RegistryError extends ActionError {
  readonly details: RegistryErrorDetails;

  constructor(
    message: string,
    details: RegistryErrorDetails,
    options?: ErrorOptions,
  ) {
    super("registry", message, options);
    this.details = details;
  }

  get status(): number | undefined {
    return this.details.status;
  }
}

/** The version exists already (HTTP 409 on start or complete). */
export class ConflictError extends ActionError {
  /** See {@link RegistryErrorDetails.afterLostAnswer}. */
  readonly afterLostAnswer: boolean;

  constructor(message: string, afterLostAnswer = false) {
    super("conflict", message);
    this.afterLostAnswer = afterLostAnswer;
  }
}

/** The registry's answer does not fit the API contract. */
export class ProtocolError extends ActionError {
  constructor(message: string) {
    super("protocol", message);
  }
}

/** No access token could be had: no ID token, or the exchange refused. */
export class AuthError extends ActionError {
  constructor(message: string, options?: ErrorOptions) {
    super("auth", message, options);
  }
}

/** The Pulumi CLI could not be installed, or gave no usable schema. */
export class ProviderError extends ActionError {
  constructor(message: string, options?: ErrorOptions) {
    super("provider", message, options);
  }
}
