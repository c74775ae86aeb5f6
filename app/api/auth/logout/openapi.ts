import { z } from "zod";
import { defineRoute } from "@/lib/features/openapi/define-route";
import * as route from "./route";

export default defineRoute("/api/auth/logout", route, {
  POST: {
    operationId: "signOut",
    summary: "End the current session and clear its cookie",
    description:
      "Public so that a browser whose session already ended can still clear its cookie; only from this site's pages.",
    tag: "auth",
    responses: {
      204: {
        description: "Signed out.",
        headers: { "Set-Cookie": { description: "The session cookie, expired.", schema: z.string() } },
      },
    },
    errors: ["forbidden", "unsupported_media_type"],
  },
});
