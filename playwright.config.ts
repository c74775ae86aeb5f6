// Playwright runs the production build (`next start`) in Debian's Chromium.
// `npm test` builds the app, starts the embedded database and passes its
// address and a free port in the environment; see scripts/test.ts.
import { defineConfig, devices } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "e2e",
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 30_000,
  reporter: [["list"], ["json", { outputFile: ".test-results/e2e.json" }]],
  outputDir: "test-results",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      // This machine has no outside network: keep Chromium from trying.
      args: [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  // The empty-state specs run first on an empty database; specs that store
  // data (*.data.spec.ts) run after them.
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"] }, testIgnore: /\.data\.spec\.ts$/ },
    // API-only specs are tagged @api and run once.
    { name: "phone", use: { ...devices["Pixel 7"] }, testIgnore: /\.data\.spec\.ts$/, grepInvert: /@api/ },
    {
      name: "with-data",
      use: { ...devices["Desktop Chrome"] },
      testMatch: /\.data\.spec\.ts$/,
      dependencies: ["desktop", "phone"],
    },
  ],
  webServer: {
    command: `npx next start --port ${port} --hostname 127.0.0.1`,
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
