// POST /api/auth/totp/confirm – turn two-factor sign-in on with a first code; answers the recovery codes, once
import { confirmTotpEnrolment } from "@/lib/records/auth/totp";
import { TotpConfirmation } from "@/lib/records/auth/totp-schemas";
import { getDb } from "@/lib/platform/db/client";
import { clientIp } from "@/lib/platform/http/client-ip";
import { userOf } from "@/lib/features/requests/actor";
import { apiHandler } from "@/lib/features/requests/handler";
import { readJsonBody } from "@/lib/platform/http/json-body";

export const POST = apiHandler({ role: "viewer", duringEnrolment: true }, async (request, { principal }) => {
  const { code } = await readJsonBody(request, TotpConfirmation);
  const recoveryCodes = await confirmTotpEnrolment(await getDb(), userOf(principal), code, clientIp(request.headers));
  return Response.json({ enabled: true, recovery_codes: recoveryCodes });
});
