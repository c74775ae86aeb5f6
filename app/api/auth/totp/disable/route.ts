// POST /api/auth/totp/disable – turn two-factor sign-in off, with a current code or the password
import { disableTotp } from "@/lib/records/auth/totp";
import { Reauthentication } from "@/lib/records/auth/totp-schemas";
import { getDb } from "@/lib/platform/db/client";
import { clientIp } from "@/lib/platform/http/client-ip";
import { userOf } from "@/lib/features/requests/actor";
import { apiHandler } from "@/lib/features/requests/handler";
import { readJsonBody } from "@/lib/platform/http/json-body";

export const POST = apiHandler({ role: "viewer" }, async (request, { principal }) => {
  const proof = await readJsonBody(request, Reauthentication);
  await disableTotp(await getDb(), userOf(principal), proof, clientIp(request.headers));
  return Response.json({ enabled: false });
});
