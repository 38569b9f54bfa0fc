/** Shapes of the registry API (see the registry API document). */

/** Whether an entry is a package or a template. */
export type EntryKind = "package" | "template";

/** Which route family the client calls. */
export type ApiRoutes = "auto" | "stable" | "preview";

/** Names one package or template: `<source>/<publisher>/<name>`. */
export interface EntryRef {
  kind: EntryKind;
  source: string;
  publisher: string;
  name: string;
}

/** The answer to a start call (HTTP 202). */
export interface StartPublishResponse {
  operationID: string;
  /** Package: `schema`, `index`, `installationConfiguration`. Template: `archive`. */
  uploadURLs: Record<string, string>;
  /** Headers every upload must carry, when the service asks for them. */
  requiredHeaders?: Record<string, string>;
}

export interface PackageParameterization {
  baseProvider: { name: string; version: string };
  parameter: string;
}

/** A package version as the get and list endpoints describe it. */
export interface PackageMetadata {
  name: string;
  publisher: string;
  publisherDisplayName?: string;
  source: string;
  version: string;
  title?: string;
  description?: string;
  logoUrl?: string;
  repoUrl?: string;
  category?: string;
  isFeatured: boolean;
  packageTypes?: string[];
  packageStatus: "ga" | "public_preview";
  readmeURL: string;
  schemaURL: string;
  pluginDownloadURL?: string;
  createdAt: string;
  visibility: "public" | "private";
  parameterization?: PackageParameterization;
  usageStats?: Record<string, number>;
}

export interface TemplateRuntimeInfo {
  name?: string;
  options?: Record<string, unknown>;
}

/** A template version as the get and list endpoints describe it. */
export interface TemplateMetadata {
  name: string;
  publisher: string;
  source: string;
  displayName: string;
  description?: string;
  runtime?: TemplateRuntimeInfo;
  language: string;
  readmeURL?: string;
  downloadURL: string;
  repoSlug?: string;
  visibility: "public" | "private";
  updatedAt: string;
  metadata?: Record<string, string>;
  config?: Record<string, unknown>;
  url: string;
  /** Not in the API document's template shape; kept when a service sends it. */
  version?: string;
}

export interface ListPackagesQuery {
  name?: string;
  publisher?: string;
  orgLogin?: string;
  visibility?: string;
  sort?: string;
  asc?: boolean;
  limit?: number;
  continuationToken?: string;
}

export interface ListPackagesResponse {
  packages: PackageMetadata[];
  continuationToken?: string;
}

export interface ListTemplatesQuery {
  name?: string;
  orgLogin?: string;
  search?: string;
  limit?: number;
  continuationToken?: string;
}

export interface ListTemplatesResponse {
  templates: TemplateMetadata[];
  continuationToken?: string;
  diagnostics?: string[];
}

/** The body of a registry error answer. */
export interface ErrorBody {
  code?: number | string;
  message?: string;
  errors?: unknown[];
}
