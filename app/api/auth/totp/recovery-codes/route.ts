// POST /api/auth/totp/recovery-codes – new recovery codes (the old ones stop working), with a current code or the password
import { regenerateRecoveryCodes } from "@/lib/auth/totp";
import { Reauthentication } from "@/lib/auth/totp-schemas";
import { getDb } from "@/lib/db/client";
import { clientIp } from "@/lib/http/client-ip";
import { userOf } from "@/lib/http/actor";
import { apiHandler } from "@/lib/http/handler";
import { readJsonBody } from "@/lib/http/json-body";

export const dynamic = "force-dynamic";

export const POST = apiHandler({ role: "viewer" }, async (request, { principal }) => {
  const proof = await readJsonBody(request, Reauthentication);
  const recoveryCodes = await regenerateRecoveryCodes(await getDb(), userOf(principal), proof, clientIp(request.headers));
  return Response.json({ recovery_codes: recoveryCodes }, { headers: { "Cache-Control": "no-store" } });
});
