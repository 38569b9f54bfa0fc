/** An answer a handler wants sent; the server turns it into HTTP. */
export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

/** A JSON answer. */
export function jsonReply(
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): Reply {
  return {
    status,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(value),
  };
}

/** An API error in the service's `{code, message}` shape. */
export function apiError(status: number, message: string): Reply {
  return jsonReply(status, { code: status, message });
}

/** A storage error in the XML shape S3 uses. */
export function storageError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Reply {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error>`;
  return {
    status,
    headers: { "content-type": "application/xml", ...headers },
    body,
  };
}

function escapeXml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;");
}
