import { test, expect, type Browser } from "@playwright/test";
import { DESKTOP, PHONE, confirmEmailFromMail, openHydrated, screenshots, uniqueSlug, waitHydrated } from "./helpers";

// One company's story, in order: sign-up, log out, log in, team, each role's shell.
test.describe.configure({ mode: "serial" });

const slug = uniqueSlug("acme");
const admin = { name: "Ada Admin", email: `ada@${slug}.test`, password: "correct horse battery" };
const worker = { name: "Walt Worker", email: `walt@${slug}.test`, password: "ladder-and-bucket-7" };
const customer = { name: "Cora Customer", email: `cora@${slug}.test`, password: "sunny porch swing 3" };

/** Logs in on a new device (browser context) and waits until the app has opened. */
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

test("a visitor signs up, confirms the email from the mail, and lands on the admin dashboard", async ({ page }) => {
  await openHydrated(page, "/");
  await screenshots(page, "01-landing");
  await page.getByRole("link", { name: "Create your workspace" }).click();
  await expect(page).toHaveURL(/\/signup$/);
  await waitHydrated(page);

  // Submitting empty names each missing field, and nothing is created.
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page.getByText("Enter your company's name.")).toBeVisible();
  await expect(page.getByText("Enter a password.")).toBeVisible();
  await screenshots(page, "02-signup-errors");

  await page.getByLabel("Company name").fill("Acme Plumbing");
  await page.getByLabel("Workspace address").fill(slug);
  await page.getByLabel("Timezone").selectOption("Europe/Berlin");
  await page.getByLabel("Your name").fill(admin.name);
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Create workspace" }).click();

  // Until the address is confirmed, the app is closed: only "check your email".
  await expect(page).toHaveURL(/\/app\/dashboard$/);
  await waitHydrated(page);
  await expect(page.getByTestId("check-email")).toContainText(admin.email);
  await screenshots(page, "03a-check-your-email");
  await page.getByRole("button", { name: "Send me a new link" }).click();
  await expect(page.getByRole("alert")).toContainText("Too many attempts");

  await confirmEmailFromMail(page, admin.email);
  await screenshots(page, "03b-email-confirmed");
  await page.goto("/app/dashboard");
  await waitHydrated(page);
  await expect(page.getByRole("heading", { name: "Welcome, Ada" })).toBeVisible();
  await expect(page.getByTestId("company-name")).toHaveText("Acme Plumbing");
  await screenshots(page, "03-admin-dashboard");
});

test("the admin logs out, fails with a wrong password, then logs in at /{slug}/login", async ({ browser }) => {
  const { context, page } = await logIn(browser, admin);
  await expect(page).toHaveURL(/\/app\/dashboard$/);
  await waitHydrated(page);
  await page.getByRole("button", { name: "Log out" }).first().click();
  await expect(page).toHaveURL(new RegExp(`/${slug}/login\\?signed_out$`));
  await waitHydrated(page);
  await expect(page.getByRole("heading", { name: "Log in to Acme Plumbing" })).toBeVisible();

  // Signed out means signed out: the app sends us back to log in.
  await page.goto("/app/dashboard");
  await expect(page).toHaveURL(/\/login\?next=/);

  await openHydrated(page, `/${slug}/login`);
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert")).toHaveText("Incorrect email or password.");
  await screenshots(page, "04-login-wrong-password");

  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/app\/dashboard$/);
  await context.close();
});

test("the workspace login at /login remembers the workspace on this device", async ({ browser }) => {
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  await openHydrated(page, "/login");
  await screenshots(page, "05-login");
  await page.getByLabel("Workspace").fill(slug);
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/app\/dashboard$/);
  await waitHydrated(page);
  await page.getByRole("button", { name: "Log out" }).first().click();
  await expect(page).toHaveURL(new RegExp(`/${slug}/login\\?signed_out$`));

  await openHydrated(page, "/login");
  await expect(page.getByLabel("Workspace")).toHaveValue(slug);
  await context.close();
});

test("the sign-in page comes without the app's WASM: the form posts, says it is sending, keeps where it leads", async ({ browser }) => {
  // No service worker: every file the page needs comes from the network, where it is counted.
  const context = await browser.newContext({ viewport: PHONE, serviceWorkers: "block" });
  const page = await context.newPage();
  const fetched: string[] = [];
  page.on("request", (request) => fetched.push(new URL(request.url()).pathname));
  await openHydrated(page, `/${slug}/login?next=/app/users`);
  await expect(page.locator("html")).toHaveAttribute("data-wasm", "none");
  expect(fetched.filter((path) => /\.(wasm|js)$/.test(path) && path.startsWith("/pkg/")), "no part of the WASM bundle").toEqual([]);

  // A mistake comes back from the server with the reason, the address and the next page.
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("alert")).toHaveText("Incorrect email or password.");
  await expect(page).toHaveURL(/[?&]next=%2Fapp%2Fusers/);
  await expect(page.getByLabel("Email")).toHaveValue(admin.email);
  expect(page.url()).not.toContain("password");

  // While the server answers, the button says so. (Seen by a submit listener of the test's
  // own that runs after the page's and keeps what it saw across the navigation: Playwright
  // waits for a pending navigation before it reads a page.)
  await page.evaluate(() =>
    document.addEventListener("submit", () => {
      const submit = document.querySelector('form button[type="submit"]');
      sessionStorage.setItem("button-while-sending", `${submit?.textContent} ${submit?.getAttribute("aria-busy")}`);
    }),
  );
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/app\/users$/);
  await waitHydrated(page);
  expect(await page.evaluate(() => sessionStorage.getItem("button-while-sending"))).toBe("Logging in… true");
  await expect(page.getByRole("heading", { level: 1, name: "Team" })).toBeVisible();
  await context.close();
});

test("the admin adds a field worker and a customer login on the Team page", async ({ browser }) => {
  const { context, page } = await logIn(browser, admin);
  await expect(page).toHaveURL(/\/app\/dashboard$/);
  await page.getByRole("link", { name: "Team" }).first().click();
  await expect(page).toHaveURL(/\/app\/users$/);
  await waitHydrated(page);
  await expect(page.getByTestId("user-list")).toContainText(admin.email);

  for (const [person, role] of [[worker, "WORKER"], [customer, "CUSTOMER"]] as const) {
    await page.getByRole("button", { name: "Add person" }).click();
    const form = page.locator("form.form-grid");
    await form.getByLabel("Name").fill(person.name);
    await form.getByLabel("Email").fill(person.email);
    await form.getByLabel("Role").selectOption(role);
    await form.getByLabel("Initial password").fill(person.password);
    if (role === "CUSTOMER") await screenshots(page, "06-team-add-person");
    await form.getByRole("button", { name: "Add person" }).click();
    await expect(page.getByRole("status").filter({ hasText: `${person.name} can now sign in` })).toBeVisible();
    await expect(page.getByTestId("user-list")).toContainText(person.email);
  }

  // The same email twice is refused, naming the field.
  await page.getByRole("button", { name: "Add person" }).click();
  const form = page.locator("form.form-grid");
  await form.getByLabel("Name").fill("Walt Again");
  await form.getByLabel("Email").fill(worker.email);
  await form.getByLabel("Initial password").fill("another long password");
  await form.getByRole("button", { name: "Add person" }).click();
  await expect(form.getByText("Someone in your company already uses this email.")).toBeVisible();
  await page.getByRole("button", { name: "Close" }).click();
  await screenshots(page, "07-team");

  for (const [name, url] of [["08-admin-jobs", "/app/jobs"], ["09-admin-customers", "/app/customers"], ["10-account", "/app/account"]]) {
    await openHydrated(page, url);
    await screenshots(page, name);
  }
  await context.close();
});

test("the worker lands on My jobs on a phone, and an admin page is refused", async ({ browser }) => {
  const { context, page } = await logIn(browser, worker, PHONE);
  await expect(page).toHaveURL(/\/app\/my-jobs$/);
  await waitHydrated(page);
  await expect(page.getByRole("heading", { name: "My jobs" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Team" })).toHaveCount(0);
  await screenshots(page, "11-worker-my-jobs");

  const response = await page.goto("/app/users");
  expect(response?.status()).toBe(403);
  await waitHydrated(page);
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await expect(page.getByTestId("user-list")).toHaveCount(0);
  await screenshots(page, "12-worker-forbidden");

  // The server refuses too, whatever the UI shows.
  const api = await page.request.post("/rpc/users/list", { data: { query: { status: "all", role: null, search: "", after: null } } });
  expect(api.status()).toBe(403);
  await context.close();
});

test("the customer lands on their jobs view", async ({ browser }) => {
  const { context, page } = await logIn(browser, customer, PHONE);
  await expect(page).toHaveURL(/\/app\/portal$/);
  await waitHydrated(page);
  await expect(page.getByRole("heading", { name: "Your jobs" })).toBeVisible();
  await screenshots(page, "13-customer-portal");
  const response = await page.goto("/app/dashboard");
  expect(response?.status()).toBe(403);
  await context.close();
});

test("a deactivated worker is signed out at once", async ({ browser }) => {
  const workerSession = await logIn(browser, worker, PHONE);
  await expect(workerSession.page).toHaveURL(/\/app\/my-jobs$/);

  const { context, page } = await logIn(browser, admin);
  await openHydrated(page, "/app/users");
  const row = page.locator(`li.user-row[data-email="${worker.email}"]`);
  await row.getByRole("button", { name: "Deactivate…" }).click();
  // A confirmation first, named after the person; Cancel is focused, so Enter alone changes nothing.
  const dialog = page.getByRole("dialog", { name: `Deactivate ${worker.name}?` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await dialog.getByRole("button", { name: "Deactivate", exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator(`li.user-row[data-email="${worker.email}"]`)).toHaveCount(0);
  await expect(page.getByRole("status").filter({ hasText: `${worker.name} was deactivated` })).toBeVisible();

  await workerSession.page.reload();
  await expect(workerSession.page).toHaveURL(/\/login\?next=/);
  await workerSession.context.close();
  await context.close();
});

test("unknown pages answer 404 with a friendly page", async ({ page }) => {
  const response = await page.goto("/no-such-workspace/login");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "We couldn't find that page" })).toBeVisible();
  await screenshots(page, "14-not-found");
});
