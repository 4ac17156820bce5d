import { test, expect } from "@playwright/test";
import * as fs from "node:fs";
import * as path from "node:path";
import { DESKTOP, openHydrated, waitJobReady } from "./helpers";

// Story 6: `./fieldbook test` restarts the server after the other specs; this one
// (tagged @after-restart, run only then) checks that the jobs story is still there.
const STATE_FILE = path.join(__dirname, "..", ".state", "jobs-story.json");

test("6. after a server restart, the job, its ticks, note, status and revoked link are still there @after-restart", async ({ browser }) => {
  const story = JSON.parse(fs.readFileSync(STATE_FILE, "utf8"));
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  await openHydrated(page, `/${story.slug}/login`);
  await page.getByLabel("Email").fill(story.admin.email);
  await page.getByLabel("Password").fill(story.admin.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(/\/app\//);
  await openHydrated(page, story.jobUrl);
  await waitJobReady(page);
  await expect(page.getByTestId("job-title")).toHaveText(story.title);
  await expect(page.getByTestId("job-worker")).toHaveText(story.worker.name);
  await expect(page.locator(".job-head-meta")).toContainText("Completed & cleaned");
  await expect(page.getByText("3 of 3 tasks done")).toBeVisible();
  await expect(page.getByTestId("note-list")).toContainText("All rails replaced");
  await expect(page.getByTestId("share-list")).toContainText("Revoked");

  const visitor = await browser.newContext();
  const response = await (await visitor.newPage()).goto(story.shareUrl);
  expect(response?.status()).toBe(410);
  await visitor.close();
  await context.close();
});
