import { expect, test, type Page } from "@playwright/test";
import { openHydrated, screenshots } from "./helpers";

// The demo data (`./fieldbook demo`; the test command loads it into the e2e database
// before the suite) seen by each role, with screenshots of every page.
const PASSWORD = "demo-fieldbook-2026";

async function logIn(page: Page, slug: string, email: string) {
  await openHydrated(page, `/${slug}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/app/);
}

test("the admin tours jobs, a job, the editor and a customer", async ({ page }) => {
  await logIn(page, "northwind", "alice@northwind.example");
  await openHydrated(page, "/app/dashboard");
  await expect(page.getByTestId("status-counts")).toContainText("Waiting for parts");
  await expect(page.getByTestId("today-jobs")).toContainText("Annual boiler service");
  await screenshots(page, "tour-admin-dashboard");
  await openHydrated(page, "/app/jobs");
  await expect(page.getByTestId("job-list")).toContainText("Replace leaking espresso machine valve");
  await screenshots(page, "tour-admin-jobs");

  await page.getByRole("link", { name: /Replace leaking espresso machine valve/ }).click();
  await expect(page.getByTestId("job-title")).toHaveText("Replace leaking espresso machine valve");
  await expect(page.getByTestId("history")).toContainText("Created the job");
  await screenshots(page, "tour-admin-job");

  await openHydrated(page, "/app/jobs/new");
  await screenshots(page, "tour-admin-new-job");

  await openHydrated(page, "/app/customers");
  await page.getByRole("link", { name: /Harbour Café/ }).click();
  await expect(page.getByTestId("customer-jobs")).toContainText("Descale water heater");
  await screenshots(page, "tour-admin-customer");
});

test("a worker's day and a customer's jobs", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await logIn(page, "northwind", "walter@northwind.example");
  await openHydrated(page, "/app/my-jobs");
  await expect(page.getByTestId("my-jobs")).toContainText("Annual boiler service");
  await screenshots(page, "tour-worker-my-jobs");
  await page.getByRole("link", { name: /Annual boiler service/ }).click();
  await expect(page.getByTestId("job-title")).toHaveText("Annual boiler service");
  await screenshots(page, "tour-worker-job");

  await page.context().clearCookies();
  await logIn(page, "northwind", "carla@harbourcafe.example");
  await openHydrated(page, "/app/portal");
  await expect(page.getByTestId("my-jobs")).toContainText("Replace leaking espresso machine valve");
  await screenshots(page, "tour-customer-jobs");
  await page.getByRole("link", { name: /Replace leaking espresso machine valve/ }).click();
  await expect(page.getByTestId("job-worker")).toHaveText("Walter Brandt");
  await expect(page.getByText("Parts are in the van")).toHaveCount(0);
  await screenshots(page, "tour-customer-job");
});
