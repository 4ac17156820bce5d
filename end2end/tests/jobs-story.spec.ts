import { test, expect, type Browser } from "@playwright/test";
import * as fs from "node:fs";
import * as path from "node:path";
import { DESKTOP, PHONE, confirmEmailFromMail, openHydrated, screenshots, uniqueSlug, waitHydrated, waitJobReady } from "./helpers";

// Issue 3's acceptance stories, in order, for one company; a second company tries
// the job's URL. What they leave behind is checked again after a server restart
// (jobs-after-restart.spec.ts, run by `./fieldbook test` once the server restarted).
test.describe.configure({ mode: "serial" });

const slug = uniqueSlug("mill");
const admin = { email: `ada@${slug}.test`, password: "correct horse battery" };
const worker = { name: "Walt Worker", email: `walt@${slug}.test`, password: "ladder-and-bucket-7" };
const customer = { name: "Mia Miller", email: `mia@${slug}.test`, password: "sunny porch swing 3" };
const title = "Repair the paddock fence";
const tasks = ["Check the posts", "Replace broken rails", "Paint the gate"];
let jobUrl = "";
let shareUrl = "";

export const STATE_FILE = path.join(__dirname, "..", ".state", "jobs-story.json");

async function logIn(browser: Browser, who: { email: string; password: string }, viewport = DESKTOP) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await openHydrated(page, `/${slug}/login`);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL(/\/app\//);
  await waitHydrated(page);
  return { context, page };
}

test("1. the admin defines a status, adds a customer, and creates a job with tasks for a worker", async ({ browser }) => {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  await openHydrated(page, "/signup");
  await page.getByLabel("Company name").fill("Miller & Sons Fencing");
  await page.getByLabel("Workspace address").fill(slug);
  await page.getByLabel("Timezone").selectOption("Europe/Berlin");
  await page.getByLabel("Your name").fill("Ada Admin");
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Create workspace" }).click();
  await page.waitForURL(/\/app\/dashboard$/);
  await confirmEmailFromMail(page, admin.email);

  // A custom "done" status.
  await openHydrated(page, "/app/statuses");
  await page.getByLabel("Status name").fill("Completed & cleaned");
  await page.getByLabel("Kind", { exact: true }).selectOption("DONE");
  await page.getByRole("button", { name: "Add status" }).click();
  await expect(page.getByTestId("status-list").locator('li[data-status="Completed & cleaned"]')).toBeVisible();

  await openHydrated(page, "/app/customers");
  await page.getByRole("button", { name: "New customer" }).click();
  await page.getByLabel("Name", { exact: true }).fill("Miller Farm");
  await page.getByLabel("Address").fill("12 Mill Lane, Potsdam");
  await page.getByRole("button", { name: "Add customer" }).click();
  await expect(page.getByTestId("customer-list")).toContainText("Miller Farm");

  // The field worker and the customer's login (linked to the record).
  await openHydrated(page, "/app/users");
  for (const [who, role] of [[worker, "WORKER"], [customer, "CUSTOMER"]] as const) {
    await page.getByRole("button", { name: "Add person" }).click();
    const form = page.locator("form.form-grid");
    await form.getByLabel("Name").fill(who.name);
    await form.getByLabel("Email").fill(who.email);
    await form.getByLabel("Role").selectOption(role);
    if (role === "CUSTOMER") await form.getByLabel("Customer record").selectOption({ label: "Miller Farm" });
    await form.getByLabel("Initial password").fill(who.password);
    await form.getByRole("button", { name: "Add person" }).click();
    await expect(page.getByRole("status").filter({ hasText: `${who.name} can now sign in` })).toBeVisible();
  }

  // The job: the browser runs the same checks as the server before sending.
  await openHydrated(page, "/app/jobs");
  await screenshots(page, "30-jobs-empty");
  await page.getByRole("link", { name: "New job" }).first().click();
  await expect(page).toHaveURL(/\/app\/jobs\/new$/);
  await expect(page.locator("form.job-form")).toHaveAttribute("data-ready", "true");
  await page.getByRole("button", { name: "Create job" }).click();
  await expect(page.getByText("Choose a customer.")).toBeVisible();
  await expect(page.getByText("Give the job a title.")).toBeVisible();
  await screenshots(page, "31-new-job-errors");
  await page.getByLabel("Customer").selectOption({ label: "Miller Farm" });
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Description").fill("Storm damage along the north side. Horses are moved to the other paddock.");
  await page.getByLabel("Date").fill("2026-06-15");
  await page.getByLabel("Start time").fill("09:30");
  await page.getByLabel("Field worker").selectOption({ label: worker.name });
  await page.getByLabel("Status", { exact: true }).selectOption({ label: "Scheduled" });
  await page.getByLabel("Tasks").fill(tasks.join("\n"));
  await screenshots(page, "32-new-job");
  await page.getByRole("button", { name: "Create job" }).click();
  await expect(page).toHaveURL(/\/app\/jobs\/[0-9a-f-]{36}$/);
  await waitJobReady(page);
  jobUrl = new URL(page.url()).pathname;
  await expect(page.getByTestId("job-title")).toHaveText(title);
  await expect(page.getByTestId("job-worker")).toHaveText(worker.name);
  await expect(page.getByTestId("task-list").locator("li")).toHaveCount(3);
  await expect(page.getByTestId("history")).toContainText(`Created the job “${title}”`);
  await screenshots(page, "33-job-admin");

  // Two admins edit at once: the second save is refused, with a way to reload.
  await openHydrated(page, `${jobUrl}/edit`);
  await expect(page.locator("form.job-form")).toHaveAttribute("data-ready", "true");
  const second = await logIn(browser, admin);
  await openHydrated(second.page, `${jobUrl}/edit`);
  await expect(second.page.locator("form.job-form")).toHaveAttribute("data-ready", "true");
  await second.page.getByLabel("Description").fill("Storm damage along the north side. Horses are moved to the other paddock. Bring the long ladder.");
  await second.page.getByRole("button", { name: "Save changes" }).click();
  await expect(second.page).toHaveURL(/\/app\/jobs\/[0-9a-f-]{36}$/);
  await second.context.close();
  await page.getByLabel("Description").fill("A stale edit.");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("alert")).toContainText("Someone else changed this job since you opened it");
  await screenshots(page, "33b-job-edit-conflict");
  await page.getByRole("button", { name: "Reload the latest version" }).click();
  await expect(page.locator("form.job-form")).toHaveAttribute("data-ready", "true");
  await expect(page.getByLabel("Description")).toHaveValue(/Bring the long ladder/);
  await openHydrated(page, jobUrl);
  await waitJobReady(page);
  await expect(page.getByText("Bring the long ladder")).toBeVisible();

  // The list's filters live in the URL: filter, then the back button undoes it.
  await openHydrated(page, "/app/jobs");
  await expect(page.getByTestId("job-list")).toContainText(title);
  await page.locator('select[name="status"]').selectOption({ label: "Completed & cleaned" });
  await expect(page).toHaveURL(/\/app\/jobs\?status=[0-9a-f-]{36}$/);
  await expect(page.getByTestId("no-jobs")).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/\/app\/jobs$/);
  await expect(page.getByTestId("job-list")).toContainText(title);
  await page.getByLabel("Search jobs").fill("paddock");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/q=paddock/);
  await expect(page.getByTestId("job-list")).toContainText(title);
  await screenshots(page, "34-jobs-list");
  await context.close();
});

test("2. the worker, on a phone, sees only that job, ticks every task, adds a note and finishes it", async ({ browser }) => {
  const { context, page } = await logIn(browser, worker, PHONE);
  await expect(page).toHaveURL(/\/app\/my-jobs$/);
  const mine = page.getByTestId("my-jobs");
  await expect(mine.getByRole("link")).toHaveCount(1);
  await expect(mine).toContainText(title);
  await screenshots(page, "35-worker-my-jobs");

  await mine.getByRole("link", { name: new RegExp(title) }).click();
  await expect(page.getByTestId("job-title")).toHaveText(title);
  await waitJobReady(page);
  for (const task of tasks) {
    const box = page.getByRole("checkbox", { name: new RegExp(task) });
    await box.check();
    await expect(page.getByRole("checkbox", { name: new RegExp(task) })).toBeChecked();
  }
  await expect(page.getByText("3 of 3 tasks done")).toBeVisible();
  await page.getByLabel("Add a note").fill("All rails replaced; the gate needs a second coat next week.");
  await page.getByRole("radio", { name: "Also the customer" }).click();
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(page.getByTestId("note-list")).toContainText("All rails replaced");
  await page.getByRole("button", { name: "Completed & cleaned" }).click();
  await expect(page.getByRole("button", { name: "Completed & cleaned" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.locator(".job-head-meta")).toContainText("Completed & cleaned");
  await screenshots(page, "36-worker-job-done");

  // Admin pages are not theirs.
  await openHydrated(page, "/app/jobs");
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await context.close();
});

test("3. the customer sees the job and the worker's name, and cannot change anything", async ({ browser }) => {
  const { context, page } = await logIn(browser, customer);
  await expect(page).toHaveURL(/\/app\/portal$/);
  await expect(page.getByTestId("my-jobs")).toContainText(title);
  await screenshots(page, "37-customer-jobs");
  await page.getByRole("link", { name: new RegExp(title) }).click();
  await expect(page.getByTestId("job-title")).toHaveText(title);
  await waitJobReady(page);
  await expect(page.getByTestId("job-worker")).toHaveText(worker.name);
  await expect(page.getByText("Storm damage along the north side")).toBeVisible();
  await expect(page.getByTestId("note-list")).toContainText("All rails replaced");
  // Nothing to edit: no edit link, no status buttons, no note form, ticks are read-only.
  await expect(page.getByRole("link", { name: "Edit" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Completed & cleaned" })).toHaveCount(0);
  await expect(page.getByLabel("Add a note")).toHaveCount(0);
  for (const box of await page.getByRole("checkbox").all()) await expect(box).toBeDisabled();
  await screenshots(page, "38-customer-job");
  await openHydrated(page, `${jobUrl}/edit`);
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await context.close();
});

test("4. a share link shows the job without login, until it is revoked", async ({ browser }) => {
  const { context, page } = await logIn(browser, admin);
  await openHydrated(page, jobUrl);
  await waitJobReady(page);
  await page.getByLabel("Valid for (days)").fill("7");
  await page.getByRole("button", { name: "Create link" }).click();
  const urlBox = page.getByTestId("share-url");
  await expect(urlBox).toHaveValue(/\/share\/[A-Za-z0-9_-]{40,}$/);
  shareUrl = await urlBox.inputValue();
  await page.getByRole("button", { name: "Copy" }).click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  await expect(page.getByTestId("share-list")).toContainText("Active");
  await screenshots(page, "39-job-share-link");

  const visitor = await browser.newContext({ viewport: PHONE });
  const anon = await visitor.newPage();
  await anon.goto(shareUrl);
  await expect(anon.getByTestId("shared-job")).toContainText(title);
  await expect(anon.getByTestId("shared-job")).toContainText(worker.name);
  await expect(anon.getByTestId("shared-job")).toContainText("All rails replaced");
  await screenshots(anon, "40-share-page");

  await page.getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByTestId("share-list")).toContainText("Revoked");
  const response = await anon.goto(shareUrl);
  expect(response?.status()).toBe(410);
  await expect(anon.getByTestId("share-gone")).toContainText("This link was switched off");
  await expect(anon.getByText(title)).toHaveCount(0);
  await screenshots(anon, "41-share-revoked");
  await visitor.close();
  await context.close();
});

test("5. a user of another company opening the job's URL gets a not-found page", async ({ browser }) => {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  const otherSlug = uniqueSlug("rival");
  await openHydrated(page, "/signup");
  await page.getByLabel("Company name").fill("Rival Fencing");
  await page.getByLabel("Workspace address").fill(otherSlug);
  await page.getByLabel("Timezone").selectOption("Europe/Berlin");
  await page.getByLabel("Your name").fill("Rita Rival");
  await page.getByLabel("Email").fill(`rita@${otherSlug}.test`);
  await page.getByLabel("Password").fill("another long secret");
  await page.getByRole("button", { name: "Create workspace" }).click();
  await page.waitForURL(/\/app\/dashboard$/);
  await confirmEmailFromMail(page, `rita@${otherSlug}.test`);
  const response = await page.goto(jobUrl);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "We couldn't find that page" })).toBeVisible();
  await expect(page.getByText(title)).toHaveCount(0);
  await screenshots(page, "42-other-company-not-found");
  await context.close();

  fs.mkdirSync(path.dirname(STATE_FILE), { recursive: true });
  fs.writeFileSync(STATE_FILE, JSON.stringify({ slug, admin, worker, customer, title, tasks, jobUrl, shareUrl }));
});
