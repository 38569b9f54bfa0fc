import { describe, expect, it } from "vitest";
import type { LocalRegistry } from "../../src/local-registry/index.js";
import { call, startRegistry } from "./helpers.js";

const OIDC = { idToken: "id-token-from-github", organization: "acme" };
const GOOD = {
  audience: "urn:pulumi:org:acme",
  grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
  subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
  requested_token_type: "urn:pulumi:token-type:access_token:organization",
  subject_token: "id-token-from-github",
  expiration: "600",
};

function exchangeForm(registry: LocalRegistry, fields: object) {
  return fetch(`${registry.apiUrl}/api/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields as Record<string, string>),
  });
}

describe("OIDC token exchange", () => {
  it("issues an accepted token for a form body", async () => {
    const registry = await startRegistry({ oidc: OIDC });

    const answer = await exchangeForm(registry, GOOD);
    const body = (await answer.json()) as Record<string, unknown>;

    expect(answer.status).toBe(200);
    expect(body).toMatchObject({
      issued_token_type: GOOD.requested_token_type,
      token_type: "Bearer",
      expires_in: 600,
    });
    const token = body.access_token as string;
    expect(registry.tokens).toContain(token);
    const org = await call(registry, "GET", "/api/user/organizations/default", {
      token,
    });
    expect(await org.json()).toMatchObject({ GitHubLogin: "local-org" });
  });

  it("accepts a JSON body", async () => {
    const registry = await startRegistry({
      oidc: { ...OIDC, defaultOrganization: "acme" },
    });
    const answer = await call(registry, "POST", "/api/oauth/token", {
      token: "",
      body: GOOD,
    });
    expect(answer.status).toBe(200);
  });

  it.each([
    ["audience", "urn:pulumi:org:other"],
    ["grant_type", "password"],
    ["subject_token_type", "urn:ietf:params:oauth:token-type:jwt"],
    ["requested_token_type", "urn:pulumi:token-type:access_token:admin"],
    ["subject_token", "forged"],
  ])("refuses a wrong %s", async (field, value) => {
    const registry = await startRegistry({ oidc: OIDC });

    const answer = await exchangeForm(registry, { ...GOOD, [field]: value });

    expect(answer.status).toBe(400);
    const body = (await answer.json()) as Record<string, string>;
    expect(body.error).toBe("invalid_request");
    expect(body.error_description).toMatch(/\S/);
  });

  it("refuses the exchange when no OIDC identity is configured", async () => {
    const registry = await startRegistry();
    expect((await exchangeForm(registry, GOOD)).status).toBe(400);
  });

  it("answers 401 on the default organization without a token", async () => {
    const registry = await startRegistry({ oidc: OIDC });
    const answer = await call(
      registry,
      "GET",
      "/api/user/organizations/default",
      { token: "" },
    );
    expect(answer.status).toBe(401);
  });
});
