// The API key an Authorization header presents, in each form log shippers
// send: `Bearer <key>`, `ApiKey <key>`, Elastic's `ApiKey base64(<id>:<key>)`
// (any id) and HTTP Basic with the key as the password (any user name).

const CREDENTIALS = /^(\S+)[ \t]+(\S+)[ \t]*$/;

/** The keys to try, in order; none when the header is in no form we take. */
export function presentedKeys(header: string): string[] {
  const match = CREDENTIALS.exec(header.trim());
  if (!match) return [];
  const [, scheme, token] = match as unknown as [string, string, string];
  switch (scheme.toLowerCase()) {
    case "bearer":
      return [token];
    case "apikey": {
      // An id may hold a colon; a key never does, so the key follows the last one.
      const decoded = decodeBase64(token);
      const colon = decoded?.lastIndexOf(":") ?? -1;
      return colon === -1 ? [token] : [token, decoded!.slice(colon + 1)];
    }
    case "basic": {
      // RFC 7617: the user name ends at the first colon.
      const decoded = decodeBase64(token);
      const colon = decoded?.indexOf(":") ?? -1;
      return colon === -1 ? [] : [decoded!.slice(colon + 1)];
    }
    default:
      return [];
  }
}

function decodeBase64(token: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token)) return undefined;
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.from(token, "base64"));
  } catch {
    return undefined;
  }
}
