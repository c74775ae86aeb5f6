type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

export type CallOptions = { key?: string; body?: string; contentType?: string; headers?: Record<string, string> };

/** Calls a route handler as Next.js would, and reads the JSON answer. */
export async function call(handler: Handler, method: string, url: string, options: CallOptions = {}) {
  const headers = new Headers(options.headers);
  if (options.key) headers.set("authorization", `Bearer ${options.key}`);
  if (options.body !== undefined) headers.set("content-type", options.contentType ?? "application/json");
  const request = new Request(new URL(url, "http://localhost"), { method, headers, body: options.body });
  const response = await handler(request, { params: Promise.resolve({}) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}
