import { getConfig } from "@/lib/foundation/config";
import { ApiError } from "./errors";
import { mediaType } from "./body";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A cookie-authenticated write must come from our own pages: its Origin must
 * be ours, and its body JSON (or multipart for uploads), which a cross-site
 * HTML form cannot send without a CORS preflight (text/plain would pass).
 */
export function checkSameOrigin(request: Request, bodyType: "json" | "multipart"): void {
  if (SAFE_METHODS.has(request.method)) return;
  const origin = request.headers.get("origin");
  const forwardedHost = getConfig().trustProxyHeaders ? request.headers.get("x-forwarded-host") : null;
  const host = forwardedHost ?? request.headers.get("host");
  if (!origin || !host || safeHost(origin) !== host.toLowerCase()) {
    throw new ApiError("forbidden", "Cross-site request refused: the Origin header must be this site.");
  }
  const expected = bodyType === "json" ? "application/json" : "multipart/form-data";
  const type = mediaType(request);
  const hasNoBody = (request.headers.get("content-length") ?? "0") === "0" && !request.headers.get("transfer-encoding");
  if (type !== expected && !(type === "" && hasNoBody)) {
    throw new ApiError("unsupported_media_type", `Content-Type must be ${expected}.`);
  }
}

function safeHost(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null;
  }
}
