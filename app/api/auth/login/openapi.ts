import { z } from "zod";
import { SignInBody } from "@/lib/records/auth/user-schemas";
import { EXAMPLE_USER, SignedInAnswer } from "@/lib/features/openapi/answers/auth";
import { component } from "@/lib/features/openapi/components";
import { defineRoute, json } from "@/lib/features/openapi/define-route";
import { JSON_BODY_ERRORS } from "@/lib/features/openapi/errors";
import * as route from "./route";

const { id, email, name, role } = EXAMPLE_USER;

export default defineRoute("/api/auth/login", route, {
  POST: {
    operationId: "signIn",
    summary: "Sign in; sets the session cookie",
    description:
      "Only from this site's pages (Origin must be this host). Accounts with two-factor sign-in also give `code`: without it the right password answers 401 second_factor_required. " +
      "Failures are limited per account, per client IP behind a trusted proxy, and across all accounts (429 with Retry-After).",
    tag: "auth",
    body: {
      content: json(component("SignIn", SignInBody), { email, password: "correct horse battery", code: "123456" }),
    },
    responses: {
      200: {
        description: "Signed in.",
        headers: {
          "Set-Cookie": {
            description: "The session cookie: httpOnly, SameSite=Lax, Secure over HTTPS.",
            schema: z.string(),
          },
        },
        content: json(SignedInAnswer, { user: { id, email, name, role }, totp_enrolment_required: false }),
      },
    },
    errors: [
      ...JSON_BODY_ERRORS,
      "unauthorized",
      "second_factor_required",
      "forbidden",
      "unsupported_media_type",
      "rate_limited",
    ],
  },
});
