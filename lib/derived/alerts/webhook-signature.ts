// Signatures of the alert webhook's deliveries, and their check for receivers.
// X-Ledgerline-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">
// keyed with LEDGERLINE_ALERT_WEBHOOK_SECRET. The body carries the delivery id
// too, so the id a receiver remembers to refuse replays is covered by the MAC.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "X-Ledgerline-Signature";
export const DELIVERY_HEADER = "X-Ledgerline-Delivery";
/** How old (or how far ahead) a signature's timestamp may be. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const MAC_HEX = /^[0-9a-f]{64}$/;

function mac(secret: string, timestamp: number, body: string): Buffer {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest();
}

/** The X-Ledgerline-Signature value for a body sent at `now`. */
export function signWebhookBody(secret: string, body: string, now = new Date()): string {
  const timestamp = Math.floor(now.getTime() / 1000);
  return `t=${timestamp},v1=${mac(secret, timestamp, body).toString("hex")}`;
}

export type WebhookVerdict = { ok: true; deliveryId: string; timestamp: number } | { ok: false; reason: string };

export type WebhookRequest = {
  /** The raw body as received, before any JSON parsing. */
  body: string;
  signature: string | null | undefined;
  deliveryId: string | null | undefined;
};

/**
 * Checks a delivery as a receiver gets it: the MAC (in constant time), the
 * timestamp within `toleranceSeconds` of `now`, and the delivery id header
 * equal to the signed body's. A receiver then refuses a delivery id it has
 * already handled; remembering ids for the tolerance is enough, since older
 * signatures are refused here.
 */
export function verifyWebhookDelivery(
  secret: string,
  { body, signature, deliveryId }: WebhookRequest,
  { now = new Date(), toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS }: { now?: Date; toleranceSeconds?: number } = {},
): WebhookVerdict {
  const fields = new Map<string, string[]>();
  for (const part of (signature ?? "").split(",")) {
    const [name, value] = part.trim().split("=", 2);
    if (name && value !== undefined) fields.set(name, [...(fields.get(name) ?? []), value]);
  }
  const timestampText = fields.get("t")?.[0];
  const timestamp = timestampText && /^\d{1,12}$/.test(timestampText) ? Number(timestampText) : NaN;
  if (!Number.isSafeInteger(timestamp)) return { ok: false, reason: `no t=<unix seconds> in ${SIGNATURE_HEADER}` };
  const expected = mac(secret, timestamp, body);
  const matches = (fields.get("v1") ?? []).some(
    (hex) => MAC_HEX.test(hex) && timingSafeEqual(Buffer.from(hex, "hex"), expected),
  );
  if (!matches) return { ok: false, reason: "the signature does not match the body" };
  if (Math.abs(now.getTime() / 1000 - timestamp) > toleranceSeconds) {
    return { ok: false, reason: `the signature's timestamp is more than ${toleranceSeconds} s away from now` };
  }
  const signedId = deliveryIdOf(body);
  if (!signedId || signedId !== deliveryId)
    return { ok: false, reason: `${DELIVERY_HEADER} does not match the signed body's delivery_id` };
  return { ok: true, deliveryId: signedId, timestamp };
}

function deliveryIdOf(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const id =
      typeof parsed === "object" && parsed !== null ? (parsed as { delivery_id?: unknown }).delivery_id : undefined;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}
