import { describe, expect, it } from "vitest";

import { readErrorBody, scrub, shorten } from "../../src/registry/failure.js";
import {
  querySecrets,
  redactUrl,
  redactUrlsIn,
} from "../../src/registry/redact.js";

describe("readErrorBody", () => {
  it("reads the API error body", () => {
    const body = JSON.stringify({
      code: 400,
      message: "bad version",
      errors: [{ field: "version" }],
    });
    expect(readErrorBody(body)).toEqual({
      serverCode: 400,
      serverMessage: "bad version",
      serverErrors: [{ field: "version" }],
    });
  });

  it("reads an S3-style XML error", () => {
    const body =
      "<Error><Code>SignatureDoesNotMatch</Code><Message>The request " +
      "signature we calculated does not match</Message>" +
      "<SignatureProvided>secret</SignatureProvided></Error>";
    expect(readErrorBody(body)).toEqual({
      serverCode: "SignatureDoesNotMatch",
      serverMessage: "The request signature we calculated does not match",
    });
  });

  it("reads an HTML page as its text", () => {
    const body = "<html><body><h1>502 Bad Gateway</h1>\n nginx</body></html>";
    expect(readErrorBody(body)).toEqual({
      serverMessage: "502 Bad Gateway nginx",
    });
  });

  it("reads nothing from an empty body", () => {
    expect(readErrorBody("  ")).toEqual({});
  });
});

describe("text helpers", () => {
  it("shortens to 300 characters and flattens white space", () => {
    expect(shorten("a \n  b")).toBe("a b");
    const long = shorten("y".repeat(1_000));
    expect(long).toHaveLength(300);
    expect(long.endsWith("…")).toBe(true);
  });

  it("scrubs every secret", () => {
    expect(scrub("a s3cret b s3cret", ["s3cret", ""])).toBe("a *** b ***");
  });
});

describe("redaction", () => {
  it("drops the query string and fragment", () => {
    expect(
      redactUrl("https://bucket.s3.test/k/schema.json?X-Signature=abc#x"),
    ).toBe("https://bucket.s3.test/k/schema.json");
    expect(redactUrl("https://user:pw@h.test/p?q")).toBe("https://h.test/p");
  });

  it("cuts an unparsable value at the query", () => {
    expect(redactUrl("not a url?sig=1")).toBe("not a url");
  });

  it("lists the secret parts of a query", () => {
    const secrets = querySecrets(
      "https://s.test/k?X-Signature=abc%2Fdefgh&n=1",
    );
    expect(secrets).toEqual([
      "X-Signature=abc%2Fdefgh&n=1",
      "abc%2Fdefgh",
      "abc/defgh",
    ]);
    expect(querySecrets("https://s.test/k")).toEqual([]);
  });
});

describe("redactUrlsIn", () => {
  it("removes the query of every URL in a message and keeps the rest", () => {
    const text =
      "PUT https://bucket.s3.example.com/a/b?X-Amz-Signature=abc123&X-Amz-Expires=900 " +
      'failed; see "http://127.0.0.1:9/uploads/x?X-Signature=def456#frag".';
    expect(redactUrlsIn(text)).toBe(
      "PUT https://bucket.s3.example.com/a/b failed; see " +
        '"http://127.0.0.1:9/uploads/x".',
    );
  });

  it("leaves text without URLs alone", () => {
    expect(redactUrlsIn("version 1.2.3? yes")).toBe("version 1.2.3? yes");
  });
});
