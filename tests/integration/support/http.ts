type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

export type CallOptions = {
  key?: string;
  body?: string | Uint8Array<ArrayBuffer>;
  contentType?: string;
  /** A session cookie value; requests with one also carry our own Origin unless `origin` says otherwise. */
  session?: string;
  origin?: string | null;
  params?: Record<string, string>;
  headers?: Record<string, string>;
};

export const TEST_HOST = "localhost";

/** Calls a route handler as Next.js would, and reads the answer (`body` parsed when it is JSON). */
export async function call(handler: Handler, method: string, url: string, options: CallOptions = {}) {
  const headers = new Headers(options.headers);
  headers.set("host", TEST_HOST);
  if (options.key) headers.set("authorization", `Bearer ${options.key}`);
  if (options.session) headers.set("cookie", `ledgerline_session=${options.session}`);
  const origin = options.origin === undefined ? (options.session ? `http://${TEST_HOST}` : null) : options.origin;
  if (origin) headers.set("origin", origin);
  if (options.body !== undefined) headers.set("content-type", options.contentType ?? "application/json");
  const request = new Request(new URL(url, `http://${TEST_HOST}`), { method, headers, body: options.body });
  const response = await handler(request, { params: Promise.resolve(options.params ?? {}) });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  const isJson = /^application\/json/.test(response.headers.get("content-type") ?? "");
  return {
    status: response.status,
    headers: response.headers,
    text,
    bytes,
    body: text && isJson ? JSON.parse(text) : null,
  };
}

/** The session cookie value from a Set-Cookie header. */
export function sessionFrom(headers: Headers): string {
  const match = /ledgerline_session=([^;]+)/.exec(headers.get("set-cookie") ?? "");
  if (!match) throw new Error("no session cookie was set");
  return match[1]!;
}
