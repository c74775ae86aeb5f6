// POST /api/auth/totp/confirm – turn two-factor sign-in on with a first code; answers the recovery codes, once
import { z } from "zod";
import { confirmTotpEnrolment } from "@/lib/auth/totp";
import { TotpCode } from "@/lib/auth/totp-schemas";
import { getDb } from "@/lib/db/client";
import { clientIp } from "@/lib/http/client-ip";
import { userOf } from "@/lib/http/actor";
import { apiHandler } from "@/lib/http/handler";
import { readJsonBody } from "@/lib/http/json-body";

export const dynamic = "force-dynamic";

export const POST = apiHandler({ role: "viewer", duringEnrolment: true }, async (request, { principal }) => {
  const { code } = await readJsonBody(request, z.strictObject({ code: TotpCode }));
  const recoveryCodes = await confirmTotpEnrolment(await getDb(), userOf(principal), code, clientIp(request.headers));
  return Response.json({ enabled: true, recovery_codes: recoveryCodes }, { headers: { "Cache-Control": "no-store" } });
});
