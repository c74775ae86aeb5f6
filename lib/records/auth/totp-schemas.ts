import { z } from "zod";

/** Letters and digits of recovery codes: no 0/O or 1/I, which read alike. */
export const RECOVERY_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
export const RECOVERY_CODE_LENGTH = 16;

const TOTP_PATTERN = /^\d{6}$/;
const RECOVERY_PATTERN = new RegExp(`^[${RECOVERY_CODE_ALPHABET}]{${RECOVERY_CODE_LENGTH}}$`);

/** Spaces and dashes are how codes are shown in groups; they carry nothing. */
const compact = z
  .string()
  .max(64, "must be at most 64 characters")
  .transform((text) => text.replace(/[\s-]/g, "").toUpperCase());

/** The 6-digit code an authenticator app shows now. */
export const TotpCode = compact.pipe(
  z.string().regex(TOTP_PATTERN, "must be the 6-digit code from your authenticator app"),
);

/** POST /api/auth/totp/confirm: the first code from the app. */
export const TotpConfirmation = z.strictObject({ code: TotpCode });

export type SecondFactorCode = { kind: "totp"; code: string } | { kind: "recovery"; code: string };

/** What a user with two-factor sign-in gives at sign-in: the app's current code or one of their recovery codes. */
export const SecondFactorCode = compact.transform((code, context): SecondFactorCode => {
  if (TOTP_PATTERN.test(code)) return { kind: "totp", code };
  if (RECOVERY_PATTERN.test(code)) return { kind: "recovery", code };
  context.addIssue({
    code: "custom",
    message: "must be the 6-digit code from your authenticator app or a recovery code",
  });
  return z.NEVER;
});

/** Proof, inside a signed-in session, that the person is the account's owner: a current code or the password. */
export const Reauthentication = z
  .strictObject({
    code: TotpCode.optional(),
    password: z.string().min(1, "is required").max(256, "must be at most 256 characters").optional(),
  })
  .refine((body) => (body.code === undefined) !== (body.password === undefined), {
    message: "give either the current code from your authenticator app or your password",
    path: ["code"],
  });
export type Reauthentication = z.infer<typeof Reauthentication>;
