import { expect, test } from "@playwright/test";
import * as fs from "node:fs";
import * as http from "node:http";
import { logIn, openHydrated, screenshots, waitHydrated, waitReady } from "./helpers";

// Another origin on the same site (same host, another port): the browser sends the
// admin's SameSite=Lax cookies along with its form posts, so only the server's
// origin check stands between this page and the admin's data.
const ATTACKER = "http://127.0.0.1:3199";

test("a page on another origin that auto-submits forms to Fieldbook changes nothing", async ({ page, baseURL }) => {
  await logIn(page, "northwind", "alice@northwind.example");
  const forged = `Forged ${Date.now()}`;
  const rpc = (name: string) => `${baseURL}/rpc/${name}`;
  // A real server on its own port (a page Playwright fulfils itself counts as public, and
  // Chromium would block it from reaching a local server for that reason alone).
  const attackPage = `<!doctype html><html><body>
        <iframe name="sink1"></iframe><iframe name="sink2"></iframe><iframe name="sink3"></iframe>
        <form id="smuggle" method="post" enctype="text/plain" target="sink1" action="${rpc("customers/create")}">
          <input name='{"form":{"name":"${forged}","email":"","phone":"","address":"","x":"' value='"}}'>
        </form>
        <form id="invite" method="post" enctype="text/plain" target="sink2" action="${rpc("users/invite")}">
          <input name='{"form":{"email":"attacker@evil.example","role":"ADMIN","customer_id":"","x":"' value='"}}'>
        </form>
        <form id="login" method="post" target="sink3" action="${baseURL}/northwind/login">
          <input name="email" value="walter@northwind.example"><input name="password" value="demo-fieldbook-2026">
        </form>
        <script>
          for (const id of ["smuggle", "invite", "login"]) document.getElementById(id).submit();
          setTimeout(() => { document.body.dataset.done = "yes"; }, 1500);
        </script>
      </body></html>`;
  const attacker = http.createServer((_request, response) => {
    response.writeHead(200, { "content-type": "text/html" });
    response.end(attackPage);
  });
  await new Promise<void>((resolve) => attacker.listen(3199, "127.0.0.1", resolve));
  const serverLog = process.env.E2E_SERVER_LOG ?? "";
  const refusals = () => (fs.readFileSync(serverLog, "utf8").match(/refused a cross-origin request/g) ?? []).length;
  const before = refusals();
  try {
    await page.goto(`${ATTACKER}/prize`);
    await expect(page.locator("body")).toHaveAttribute("data-done", "yes");
    // All three forged posts reached the server and were refused there.
    await expect.poll(() => refusals() - before).toBe(3);
  } finally {
    attacker.close();
  }

  // Back on Fieldbook: still Alice, no forged customer, no invitation for the attacker.
  await openHydrated(page, `/app/customers?q=${encodeURIComponent(forged)}`);
  await expect(page.getByText(forged)).toHaveCount(0);
  const customers = await page.request.post(`${baseURL}/rpc/customers/list`, {
    data: { query: { search: forged, include_inactive: true, after: null } },
  });
  expect((await customers.json()).customers).toEqual([]);
  const invitations = await page.request.post(`${baseURL}/rpc/users/invitations`, { data: {} });
  expect(JSON.stringify(await invitations.json())).not.toContain("attacker@evil.example");
  const session = await page.request.post(`${baseURL}/rpc/auth/session`, { data: {} });
  expect((await session.json()).email).toBe("alice@northwind.example");
});

test("the sign-in form works before the page's script has loaded, without the password in the URL", async ({ browser }) => {
  // No JavaScript at all: what a phone shows in the first seconds, before the WASM is in.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/northwind/login");
  await page.getByLabel("Email").fill("alice@northwind.example");
  await page.getByLabel("Password", { exact: true }).fill("not the password");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/northwind\/login\?error=credentials/);
  expect(page.url()).not.toContain("password");
  await expect(page.getByText("Incorrect email or password.")).toBeVisible();
  await expect(page.getByLabel("Email"), "the email is kept, the password is not").toHaveValue("alice@northwind.example");
  await expect(page.getByLabel("Password", { exact: true })).toHaveValue("");
  await screenshots(page, "login-without-script-error");
  await page.getByLabel("Email").fill("alice@northwind.example");
  await page.getByLabel("Password", { exact: true }).fill("demo-fieldbook-2026");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL(/\/app\/dashboard/);
  expect(page.url()).not.toContain("password");
  await context.close();
});

test("forms work without JavaScript: they post, the page says what happened or what was wrong", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const signIn = async (email: string) => {
    await page.goto("/northwind/login");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill("demo-fieldbook-2026");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page).toHaveURL(/\/app\//);
  };
  await signIn("alice@northwind.example");

  // A new customer: the button is a link that opens the form, the form posts.
  const name = `No-script Bakery ${Date.now()}`;
  await page.goto("/app/customers");
  await page.getByRole("button", { name: "New customer" }).click();
  await expect(page).toHaveURL(/\?new=1/);
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Add customer" }).click();
  await expect(page).toHaveURL(/\/app\/customers\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("status").filter({ hasText: "Customer added." })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await screenshots(page, "no-script-customer-added");

  // An edit with a mistake: the reason is shown, nothing changes; then the real edit.
  await page.getByRole("button", { name: "Edit" }).click();
  await expect(page.getByLabel("Name")).toHaveValue(name);
  await page.getByLabel("Email").fill("not an email");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("alert").filter({ hasText: /email/i })).toBeVisible();
  await screenshots(page, "no-script-customer-error");
  // Back on the page it came from, with the form still open.
  await expect(page.getByRole("button", { name: "Cancel" })).toBeVisible();
  await page.getByLabel("Email").fill("bakery@example.com");
  await page.getByLabel("Phone").fill("0171 555 0199");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Customer saved." })).toBeVisible();
  await expect(page.getByText("0171 555 0199")).toBeVisible();

  // A field worker's note on their job.
  await context.clearCookies();
  await signIn("walter@northwind.example");
  await page.goto("/app/my-jobs");
  await page.locator('a[href^="/app/jobs/"]').first().click();
  const note = `Written without JavaScript ${Date.now()}`;
  await page.getByLabel("Add a note").fill(note);
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Note added." })).toBeVisible();
  await expect(page.getByTestId("note-list")).toContainText(note);
  await screenshots(page, "no-script-note-added");
  await context.close();
});

test("a form submitted before the page's script has loaded is sent once the page is ready, once", async ({ browser, baseURL }) => {
  // No service worker: the WASM must come from the network, where this test holds it back.
  const context = await browser.newContext({ baseURL, serviceWorkers: "block" });
  const page = await context.newPage();
  await logIn(page, "northwind", "walter@northwind.example");
  await openHydrated(page, "/app/my-jobs");
  const jobPath = await page.locator('a[href^="/app/jobs/"]').first().getAttribute("href");
  expect(jobPath).toBeTruthy();

  let letTheWasmThrough!: () => void;
  const wasmHeld = new Promise<void>((resolve) => (letTheWasmThrough = resolve));
  await page.route(/\.wasm$/, async (route) => {
    await wasmHeld;
    await route.continue();
  });
  await page.goto(jobPath!, { waitUntil: "domcontentloaded" });
  await expect(page.locator("#root")).toHaveAttribute("data-hydrated", "false");
  const note = `Written before the app had loaded ${Date.now()}`;
  await page.getByLabel("Add a note").fill(note);
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(page.getByRole("status").filter({ hasText: "your form will be sent in a moment" })).toBeVisible();
  await screenshots(page, "form-held-until-ready");
  expect(page.url()).toContain(jobPath!);

  letTheWasmThrough();
  await expect(page.getByTestId("note-list")).toContainText(note, { timeout: 20_000 });
  await expect(page.getByText("your form will be sent in a moment")).toHaveCount(0);
  // Sent once, and really saved.
  await page.reload();
  await waitHydrated(page);
  await expect(page.getByTestId("note-list").getByText(note)).toHaveCount(1);
  await context.close();
});

test("a choice made before the page's script has loaded is kept when the page comes alive", async ({ browser, baseURL }) => {
  // No service worker: the WASM must come from the network, where this test holds it back.
  const context = await browser.newContext({ baseURL, serviceWorkers: "block" });
  const page = await context.newPage();
  await logIn(page, "northwind", "walter@northwind.example");

  let letTheWasmThrough!: () => void;
  const wasmHeld = new Promise<void>((resolve) => (letTheWasmThrough = resolve));
  await page.route(/\.wasm$/, async (route) => {
    await wasmHeld;
    await route.continue();
  });
  await page.goto("/app/time", { waitUntil: "domcontentloaded" });
  await expect(page.locator("#root")).toHaveAttribute("data-hydrated", "false");
  const picker = page.locator("#timer-job");
  const options = await picker.locator("option").evaluateAll((all) => all.map((o) => (o as HTMLOptionElement).value));
  expect(options.length, "the demo worker has more than one job to pick").toBeGreaterThan(1);
  const defaultJob = await picker.inputValue();
  const chosen = options.find((value) => value !== defaultJob)!;
  await picker.selectOption(chosen);

  letTheWasmThrough();
  await waitHydrated(page);
  await waitReady(page);
  // Hydrating the picker set it to the app's default; the early choice was given back.
  await expect(picker).toHaveValue(chosen);
  await context.close();
});
