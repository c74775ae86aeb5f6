// npm run screenshots – the pictures in docs/images, taken from a production
// instance on a throwaway database with the demo data, in Debian's Chromium.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";
import { z } from "zod";
import { alertsCollection } from "@/lib/derived/alerts/alert-record";
import { getDb } from "@/lib/platform/db/client";
import { checkpointSeededLogs, seedDemoData } from "@/lib/features/generators/seed";
import { startAppStack } from "./lib/app-stack";
import { CHROMIUM_PATH, ensureChromium } from "./lib/chromium";
import { EXIT_OK, runCli } from "./lib/cli";

const VIEWPORT = { width: 1440, height: 900 };

runCli({
  usage: `Usage: npm run screenshots -- [--out DIR]

Starts one production instance (run \`next build\` first) on a throwaway
embedded database, stores the demo data (npm run seed's, with its injected
attacks) and saves what an analyst sees into DIR (default docs/images):
the alerts list, the alerts grouped by address, one alert's page and the
dashboard.`,
  options: { out: { type: "string" } },
  schema: z.object({ out: z.string().min(1).default(path.join("docs", "images")) }),
  main: async ({ out }) => {
    ensureChromium();
    mkdirSync(out, { recursive: true });
    const stack = await startAppStack({ instances: 1 });
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH });
    try {
      const db = await getDb();
      await seedDemoData(db);
      await checkpointSeededLogs(db);
      const analyst = await stack.createUser("analyst");
      const baseURL = stack.apps[0]!.url;
      const page = await browser.newPage({ viewport: VIEWPORT, baseURL });
      const signedIn = await page.request.post("/api/auth/login", {
        data: analyst,
        headers: { origin: new URL(baseURL).origin },
      });
      if (!signedIn.ok()) throw new Error(`signing in answered ${signedIn.status()}`);

      const shoot = async (name: string, address: string, fullPage = false) => {
        await page.goto(address);
        await page.waitForLoadState("networkidle");
        await page.screenshot({ path: path.join(out, `${name}.png`), fullPage });
        console.log(`${name}.png: ${address}`);
      };
      await shoot("alerts", "/anomalies?status=all");
      await shoot("alerts-by-ip", "/anomalies?status=all&group=ip");
      const burst = await alertsCollection(db).findOne({ type: "failure_burst" }, { sort: { count: -1 } });
      if (burst) await shoot("alert", `/anomalies/${encodeURIComponent(burst._id)}`, true);
      await shoot("dashboard", "/dashboard");
    } finally {
      await browser.close();
      await stack.stop();
    }
    return EXIT_OK;
  },
});
