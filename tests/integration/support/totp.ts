// Codes of an authenticator app, computed from the secret an enrolment shows.
import { Secret, TOTP } from "otpauth";

const PERIOD_MS = 30_000;
/** Closer than this to the end of a step, a code might be checked in the next one. */
const MARGIN_MS = 3_000;

/** The code for the step `offset` steps from now (the server accepts -1, 0 and +1). */
export function totpCode(secret: string, offset = 0): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: Date.now() + offset * PERIOD_MS });
}

/** Waits for the next step when the current one is about to end, so that a code made now is checked in the same step. */
export async function awayFromStepEnd(): Promise<void> {
  const left = PERIOD_MS - (Date.now() % PERIOD_MS);
  if (left < MARGIN_MS) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
