import { expect, test, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { logIn, openHydrated, PHONE, screenshots, waitReady } from "./helpers";

// Time tracking on the demo company (Europe/Berlin): a worker on a phone times work
// and adds an entry, the customer declines one and approves the other, the worker
// sees both outcomes, and the admin's monthly report and its downloads show the hours.

const TZ = "Europe/Berlin";
const MANUAL = "Manual e2e entry: checked the valve seals";
const REASON = "Only a few seconds? Please log the real time.";

/** YYYY-MM-DD of `date` in the company's timezone. */
function localDate(date: Date) {
  return new Intl.DateTimeFormat("en-CA", { timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
}

async function draftIds(page: Page) {
  const hrefs = await page.getByTestId("group-drafts").locator("a.log-date").evaluateAll((links) =>
    links.map((a) => a.getAttribute("href") ?? ""),
  );
  return new Set(hrefs);
}

test.describe.configure({ mode: "serial" });

let timerEntry = "";
const yesterday = localDate(new Date(Date.now() - 24 * 3600 * 1000));

test("a worker on a phone times work, adds an entry and submits both", async ({ page }) => {
  await page.setViewportSize(PHONE);
  await logIn(page, "northwind", "walter@northwind.example");
  await openHydrated(page, "/app/time");
  await waitReady(page);
  const before = await draftIds(page);

  // The contract budget of the chosen job is in sight before the timer starts.
  await page.getByLabel("Job").first().selectOption({ label: "Descale water heater · Harbour Café" });
  await expect(page.locator(".start-card").getByTestId("budget")).toContainText("Monthly maintenance");
  await page.getByRole("button", { name: "Start timer" }).click();
  const bar = page.getByTestId("timer-bar");
  await expect(bar).toContainText("Descale water heater");
  await expect(page.getByTestId("timer-running")).toBeVisible();
  await screenshots(page, "time-worker-running");

  // The server keeps the timer: it survives a reload, on any page.
  await openHydrated(page, "/app/my-jobs");
  await expect(bar).toBeVisible();
  await bar.getByRole("button", { name: "Pause" }).click();
  await expect(bar).toContainText("Paused");
  await page.reload();
  await expect(page.getByTestId("timer-bar")).toContainText("Paused");
  const paused = await page.getByTestId("timer-elapsed").textContent();
  await page.waitForTimeout(1500);
  await expect(page.getByTestId("timer-elapsed")).toHaveText(paused ?? "");
  await page.getByTestId("timer-bar").getByRole("button", { name: "Resume" }).click();
  await expect(page.getByTestId("timer-bar")).not.toContainText("Paused");
  await page.getByTestId("timer-bar").getByRole("button", { name: "Stop" }).click();
  await expect(page.getByTestId("timer-bar")).toHaveCount(0);

  // The stopped timer is a new draft.
  await openHydrated(page, "/app/time");
  await waitReady(page);
  const after = await draftIds(page);
  const added = [...after].filter((href) => !before.has(href));
  expect(added).toHaveLength(1);
  timerEntry = added[0];

  // A manual entry for yesterday evening.
  await page.getByRole("button", { name: "Add entry" }).click();
  const form = page.getByTestId("manual-entry");
  await form.getByLabel("Job").selectOption({ label: "Descale water heater · Harbour Café" });
  await form.getByLabel("Date").fill(yesterday);
  await form.getByLabel("Start").fill("17:00");
  await form.getByLabel("End").fill("18:30");
  await form.getByLabel("What did you do?").fill(MANUAL);
  await form.getByRole("button", { name: "Save as draft" }).click();
  const manual = page.getByTestId("group-drafts").getByTestId("log-item").filter({ hasText: MANUAL });
  await expect(manual).toContainText("1:30");
  await screenshots(page, "time-worker-drafts");
  await manual.getByRole("button", { name: "Submit" }).click();
  await expect(page.getByTestId("group-pending")).toContainText(MANUAL);

  // The timer's entry is submitted from its own page.
  await openHydrated(page, timerEntry);
  await waitReady(page);
  await page.getByRole("button", { name: "Submit for approval" }).click();
  await expect(page.locator(".log-summary").first()).toContainText("Waiting for approval");
  await expect(page.getByTestId("log-history")).toContainText("Submitted for approval");
  await screenshots(page, "time-worker-entry");
});

test("the customer declines one entry with a reason and approves the other", async ({ page }) => {
  await logIn(page, "northwind", "carla@harbourcafe.example");
  await openHydrated(page, "/app/approvals");
  await waitReady(page);
  const manual = page.getByTestId("pending-item").filter({ hasText: MANUAL });
  await expect(manual).toContainText("Walter Brandt");
  await expect(page.getByTestId("budget").first()).toContainText("Remaining");
  await screenshots(page, "time-customer-approvals");

  // A decline needs a reason.
  await openHydrated(page, timerEntry);
  await waitReady(page);
  await page.getByRole("button", { name: "Decline…" }).click();
  await page.getByRole("button", { name: "Decline", exact: true }).click();
  await expect(page.locator(".field-error")).toContainText("Say why");
  await page.getByLabel("Why do you decline it?").fill(REASON);
  await page.getByRole("button", { name: "Decline", exact: true }).click();
  await expect(page.getByTestId("decline-reason")).toContainText(REASON);

  await openHydrated(page, "/app/approvals");
  await waitReady(page);
  await page.getByTestId("pending-item").filter({ hasText: MANUAL }).getByRole("button", { name: "Approve" }).click();
  await expect(page.getByTestId("pending-item").filter({ hasText: MANUAL })).toHaveCount(0);
  await expect(page.locator(".log-group").filter({ hasText: "Recently decided" })).toContainText(MANUAL);

  await openHydrated(page, "/app/reports");
  await waitReady(page);
  await expect(page.getByTestId("report")).toContainText("Customer: Harbour Café");
  await screenshots(page, "time-customer-report");
});

test("the worker sees both outcomes", async ({ page }) => {
  await page.setViewportSize(PHONE);
  await logIn(page, "northwind", "walter@northwind.example");
  await openHydrated(page, "/app/time");
  await waitReady(page);
  await expect(page.getByTestId("group-approved")).toContainText(MANUAL);
  const declined = page.getByTestId("group-declined").getByTestId("log-item").filter({ hasText: REASON });
  await expect(declined).toHaveCount(1);
  await expect(declined.getByRole("button", { name: "Submit again" })).toBeVisible();
  await screenshots(page, "time-worker-outcomes");
  await openHydrated(page, "/app/reports");
  await waitReady(page);
  await screenshots(page, "time-worker-report");
});

test("the admin's monthly report and its CSV and PDF show the approved hours", async ({ page }) => {
  await logIn(page, "northwind", "alice@northwind.example");
  await openHydrated(page, "/app/dashboard");
  await expect(page.getByTestId("time-summary")).toContainText("Hours logged");
  await screenshots(page, "time-admin-dashboard");

  await openHydrated(page, `/app/reports?month=${yesterday.slice(0, 7)}`);
  await waitReady(page);
  await page.locator("#report-customer").selectOption({ label: "Harbour Café" });
  await expect(page.getByTestId("report")).toContainText("Customer: Harbour Café");
  const row = page.getByTestId("report-lines").locator("tr").filter({ hasText: MANUAL });
  await expect(row).toContainText("Approved");
  await expect(row).toContainText("1:30");
  await screenshots(page, "time-admin-report");

  const csvHref = await page.getByTestId("download-csv").getAttribute("href");
  const csv = await page.request.get(csvHref ?? "");
  expect(csv.status()).toBe(200);
  const text = await csv.text();
  expect(text).toContain(`${yesterday},17:00,18:30,Walter Brandt,Harbour Café,Descale water heater,${MANUAL},Approved,yes,1.50,90`);

  const pdfHref = await page.getByTestId("download-pdf").getAttribute("href");
  const pdf = await page.request.get(pdfHref ?? "");
  expect(pdf.status()).toBe(200);
  const pdfText = execFileSync("pdftotext", ["-layout", "-", "-"], { input: await pdf.body() }).toString();
  expect(pdfText).toContain("Northwind");
  expect(pdfText).toContain("Customer: Harbour Café");
  expect(pdfText).toContain("Manual e2e entry");
  expect(pdfText).toMatch(/Approved\s+Yes\s+1:30/);

  for (const [path, name] of [
    ["/app/logs", "time-admin-logs"],
    ["/app/approvals", "time-admin-approvals"],
    ["/app/contracts", "time-admin-contracts"],
  ] as const) {
    await openHydrated(page, path);
    await expect(page.locator(".subnav")).toBeVisible();
    await screenshots(page, name);
  }
});
