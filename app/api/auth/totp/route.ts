// GET /api/auth/totp – whether two-factor sign-in is on for the signed-in user
// POST /api/auth/totp – start enrolment: a new secret, as text and as a QR code for the app
import { getTotpStatus, isTotpEnrolmentRequired, startTotpEnrolment } from "@/lib/records/auth/totp";
import { getDb } from "@/lib/platform/db/client";
import { userOf } from "@/lib/features/requests/actor";
import { apiHandler } from "@/lib/features/requests/handler";
import { EmptyBody, readJsonBody } from "@/lib/platform/http/json-body";
import { qrCodeDataUrl } from "@/lib/foundation/util/qr-code";

const ACCESS = { role: "viewer", duringEnrolment: true } as const;

export const GET = apiHandler(ACCESS, async (_request, { principal }) => {
  const db = await getDb();
  const user = userOf(principal);
  const [status, required] = await Promise.all([getTotpStatus(db, user.id), isTotpEnrolmentRequired(db, user)]);
  return Response.json({ ...status, required });
});

export const POST = apiHandler(ACCESS, async (request, { principal }) => {
  await readJsonBody(request, EmptyBody);
  const enrolment = await startTotpEnrolment(await getDb(), userOf(principal));
  const qr_code = await qrCodeDataUrl(enrolment.otpauth_uri);
  return Response.json({ ...enrolment, qr_code }, { status: 201 });
});
