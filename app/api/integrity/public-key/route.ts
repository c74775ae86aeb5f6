// GET /api/integrity/public-key – the checkpoint verification keys (public by design)
import { getCheckpointSigner } from "@/lib/records/integrity/active-keyring";
import { apiHandler } from "@/lib/features/requests/handler";

export const GET = apiHandler({ public: true }, async () => {
  return Response.json({ keys: getCheckpointSigner().publicKeys() });
});
