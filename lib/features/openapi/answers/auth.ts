// API keys, users, sign-in and two-factor sign-in in the document.
import { z } from "zod";
import { API_KEY_SCOPES } from "@/lib/records/auth/api-key-schemas";
import type { ApiKeySummary } from "@/lib/records/auth/api-keys";
import type { TotpEnrolment, TotpStatus } from "@/lib/records/auth/totp";
import { Reauthentication } from "@/lib/records/auth/totp-schemas";
import { USER_ROLES } from "@/lib/records/auth/user-schemas";
import type { UserSummary } from "@/lib/records/auth/users";
import { component } from "@/lib/features/openapi/components";
import { answerSchema, WireDate } from "@/lib/features/openapi/wire";

export const ApiKeyAnswer = component(
  "ApiKey",
  answerSchema<ApiKeySummary>()(
    z.object({
      id: z.string(),
      name: z.string(),
      scopes: z.array(z.enum(API_KEY_SCOPES)),
      sources: z.array(z.string()).meta({ description: "The only sources the key may send; empty: any." }),
      id_prefixes: z.array(z.string()).meta({ description: "log_id prefixes only this key may use." }),
      created_at: WireDate,
      last_used_at: WireDate.nullable(),
      revoked_at: WireDate.nullable(),
    }),
  ),
);

export const NewApiKeyAnswer = component(
  "NewApiKey",
  ApiKeyAnswer.extend({
    key: z.string().meta({ description: "The key itself, shown this once: only its hash is stored." }),
  }),
);

export const UserAnswer = component(
  "User",
  answerSchema<UserSummary>()(
    z.object({
      id: z.string(),
      email: z.string(),
      name: z.string(),
      role: z.enum(USER_ROLES),
      created_at: WireDate,
      updated_at: WireDate,
      password_changed_at: WireDate,
      disabled_at: WireDate.nullable(),
    }),
  ),
);

export const SignedInAnswer = component(
  "SignedIn",
  z.object({
    user: UserAnswer.pick({ id: true, email: true, name: true, role: true }),
    totp_enrolment_required: z
      .boolean()
      .meta({ description: "REQUIRE_MFA_FOR_ADMINS holds this administrator back until they enrol." }),
  }),
);

export const TotpStatusAnswer = component(
  "TotpStatus",
  answerSchema<TotpStatus & { required: boolean }>()(
    z.object({
      enabled: z.boolean(),
      enabled_at: WireDate.nullable(),
      recovery_codes_left: z.int().min(0),
      required: z.boolean().meta({ description: "Whether REQUIRE_MFA_FOR_ADMINS requires it of this user now." }),
    }),
  ),
);

export const TotpEnrolmentAnswer = component(
  "TotpEnrolment",
  answerSchema<TotpEnrolment & { qr_code: string }>()(
    z.object({
      secret: z.string().meta({ description: "Base32, for typing into the app." }),
      otpauth_uri: z.string(),
      qr_code: z.string().meta({ description: "The otpauth URI as a PNG data URL." }),
    }),
  ),
);

/** Proof, in a signed-in session, that the person is the account's owner. */
export const ReauthenticationBody = component("Reauthentication", Reauthentication);

const RecoveryCodes = z.array(z.string()).meta({ description: "One-time codes, shown this once." });

export const TotpEnabledAnswer = component(
  "TotpEnabled",
  z.object({ enabled: z.literal(true), recovery_codes: RecoveryCodes }),
);
export const TotpDisabledAnswer = component("TotpDisabled", z.object({ enabled: z.literal(false) }));
export const RecoveryCodesAnswer = component("RecoveryCodes", z.object({ recovery_codes: RecoveryCodes }));

export const EXAMPLE_API_KEY: z.input<typeof ApiKeyAnswer> = {
  id: "3f9c0a7e5b1d2c4f",
  name: "billing-service",
  scopes: ["ingest"],
  sources: ["billing-api"],
  id_prefixes: ["billing-"],
  created_at: "2026-01-30T09:00:00.000Z",
  last_used_at: "2026-01-31T12:00:00.000Z",
  revoked_at: null,
};

export const EXAMPLE_USER: z.input<typeof UserAnswer> = {
  id: "9a1f4c2e7b3d5a6c8e0f1b2d3c4e5f6a",
  email: "ana@example.com",
  name: "Ana",
  role: "analyst",
  created_at: "2026-01-30T09:00:00.000Z",
  updated_at: "2026-01-30T09:00:00.000Z",
  password_changed_at: "2026-01-30T09:00:00.000Z",
  disabled_at: null,
};

export const EXAMPLE_RECOVERY_CODES = ["7KQ2M9XPT4HW3NRC", "B8YD5JGF2LVS6MZA"];
