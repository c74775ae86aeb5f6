// POST /api/auth/totp/recovery-codes – new recovery codes (the old ones stop working), with a current code or the
// password
import { regenerateRecoveryCodes } from "@/lib/records/auth/totp";
import { Reauthentication } from "@/lib/records/auth/totp-schemas";
import { getDb } from "@/lib/platform/db/client";
import { clientIp } from "@/lib/platform/http/client-ip";
import { userOf } from "@/lib/features/requests/actor";
import { apiHandler } from "@/lib/features/requests/handler";
import { readJsonBody } from "@/lib/platform/http/json-body";

export const POST = apiHandler({ role: "viewer" }, async (request, { principal }) => {
  const proof = await readJsonBody(request, Reauthentication);
  const recoveryCodes = await regenerateRecoveryCodes(
    await getDb(),
    userOf(principal),
    proof,
    clientIp(request.headers),
  );
  return Response.json({ recovery_codes: recoveryCodes });
});
