import { ensureDebianPackage } from "./debian-package";

export const CHROMIUM_PATH = "/usr/bin/chromium";

/** E2E tests use Debian's Chromium; install it when missing and we are allowed to. */
export function ensureChromium(): void {
  ensureDebianPackage(CHROMIUM_PATH, "chromium", "the browser tests");
}
