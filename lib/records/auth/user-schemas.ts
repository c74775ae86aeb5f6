import { z } from "zod";
import { SecondFactorCode } from "./totp-schemas";

/** From the most rights to the fewest; each role may do everything the ones after it may (lib/records/auth/roles.ts). */
export const USER_ROLES = ["admin", "analyst", "viewer"] as const;
export const Role = z.enum(USER_ROLES);
export type Role = z.infer<typeof Role>;

/** Addresses compare trimmed and lower-cased, so "Alice@Example.com " and "alice@example.com" are one account. */
export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "must be at most 254 characters")
  .pipe(z.email("must be a valid email address"))
  // For the API document, which describes the input and so would not show the check after the pipe.
  .meta({ format: "email", pattern: z.regexes.email.source });
export type Email = z.infer<typeof Email>;

export const DisplayName = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(100, "must be at most 100 characters")
  .refine((name) => !name.includes("\0"), "must not contain NUL characters");

export const Password = z
  .string()
  .min(12, "must be at least 12 characters")
  .max(256, "must be at most 256 characters")
  .refine((password) => password.trim().length > 0, "must not be only whitespace");

/** A new account; the name defaults to the part of the address before "@". */
export const UserCreate = z
  .object({ email: Email, name: DisplayName.optional(), role: Role })
  .transform(({ email, name, role }) => ({ email, role, name: name ?? email.split("@")[0]!.slice(0, 100) }));
export type UserCreate = z.infer<typeof UserCreate>;
export type UserCreateInput = z.input<typeof UserCreate>;

/** POST /api/auth/login: the code only for accounts with two-factor sign-in. */
export const SignInBody = z.strictObject({
  email: Email,
  password: z.string().min(1, "is required").max(256),
  code: SecondFactorCode.optional(),
});

/** POST /api/users: a new account with its password. */
export const NewUserBody = z.strictObject({
  email: Email,
  name: DisplayName.optional(),
  role: Role,
  password: Password,
});
