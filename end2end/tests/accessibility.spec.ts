import { expect, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD, DESKTOP, logIn, openHydrated, PHONE, screenshots, serverFunctionsAs, sql, waitJobReady, waitReady } from "./helpers";

// By keyboard alone, with the focus always visible and where it should be; and
// consequential changes only after an explicit confirmation.

/** The focused element shows the page's focus ring (3 px, #0b4a3e: 9:1 against white). */
async function expectVisibleFocus(page: Page) {
  const ring = await page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return "nothing focused";
    const style = getComputedStyle(element);
    const outline = `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`;
    return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2 ? "ring" : `${outline} / ${style.boxShadow}`;
  });
  if (ring !== "ring") {
    // Text fields show focus by a solid 2 px ring drawn as a shadow instead of an outline.
    expect(ring).toMatch(/rgb\(15, 92, 77\) 0px 0px 0px 2px/);
  }
}

test("a role changes only after the menu's choice is confirmed; the arrow keys alone change nothing", async ({ browser, baseURL }) => {
  const page = await browser.newPage({ baseURL });
  await logIn(page, "northwind", "alice@northwind.example");
  const email = `keyboard-${Date.now().toString(36)}@northwind.example`;
  const name = `Kim Keys ${Date.now().toString(36)}`;
  const created = await page.request.post("/rpc/users/create", {
    data: { form: { name, email, role: "WORKER", password: DEMO_PASSWORD, customer_id: "" } },
    headers: { Origin: baseURL! },
  });
  expect(created.status()).toBe(200);
  const role = () => sql(`select role from users where email = '${email}'`);

  await openHydrated(page, "/app/users");
  // The first Tab reaches the skip link, which takes the focus past the navigation.
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeVisible();
  await expectVisibleFocus(page);
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();

  const row = page.locator(`li.user-row[data-email="${email}"]`);
  const menu = row.getByLabel(`Role of ${name}`);
  await menu.focus();
  await expectVisibleFocus(page);
  await page.keyboard.press("ArrowDown");
  await expect(menu).not.toHaveValue("WORKER");
  // The menu only chose: the data is unchanged until the button and its question.
  const apply = row.getByRole("button", { name: "Change role…" });
  await expect(apply).toBeVisible();
  expect(role()).toBe("WORKER");

  await page.keyboard.press("Tab");
  await expect(apply).toBeFocused();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await screenshots(page, "confirm-role-change");
  // Escape cancels: the menu shows the real role again and keeps the focus.
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(menu).toHaveValue("WORKER");
  await expect(menu).toBeFocused();
  expect(role()).toBe("WORKER");

  // Now for real: up to Admin, confirmed.
  await page.keyboard.press("ArrowUp");
  await expect(menu).toHaveValue("ADMIN");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("dialog", { name: `Make ${name} an admin?` })).toBeVisible();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Make admin" })).toBeFocused();
  await expectVisibleFocus(page);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("dialog")).toBeHidden();
  await expect.poll(role).toBe("ADMIN");
  // The change is said in the page's status region, which a screen reader announces.
  await expect(page.getByTestId("team-notice")).toHaveText(`${name}’s role is now Admin.`);
  await expect(page.getByTestId("team-notice")).toHaveAttribute("role", "status");
  await screenshots(page, "team-role-changed");
  await page.close();
});

test("a worker ticks a task and moves a job by keyboard; the focus stays, the move can be undone", async ({ page }) => {
  await logIn(page, "northwind", "walter@northwind.example");
  await openHydrated(page, "/app/my-jobs");
  const jobPath = await page.locator('a[href^="/app/jobs/"]').first().getAttribute("href");
  await openHydrated(page, jobPath!);
  await waitJobReady(page);
  const jobId = jobPath!.split("/").pop();

  const box = page.locator(".task-list input[type=checkbox]").first();
  const wasTicked = await box.isChecked();
  await box.focus();
  await page.keyboard.press("Space");
  await expect(box).toBeChecked({ checked: !wasTicked });
  // The list is redrawn with the server's answer; the box keeps the focus.
  await expect(page.locator(".task-list input[type=checkbox]").first()).toBeFocused();
  await expectVisibleFocus(page);
  await page.keyboard.press("Space");
  await expect(box).toBeChecked({ checked: wasTicked });

  const statusBefore = sql(`select status_id from jobs where id = '${jobId}'`);
  const other = page.locator(".status-choice:not(.current)").first();
  const otherName = (await other.innerText()).trim();
  await other.focus();
  await page.keyboard.press("Enter");
  const undo = page.getByTestId("status-undo");
  await expect(undo).toContainText(`Moved to ${otherName}.`);
  await expect.poll(() => sql(`select status_id from jobs where id = '${jobId}'`)).not.toBe(statusBefore);
  await screenshots(page, "status-undo");
  await undo.getByRole("button", { name: "Undo" }).click();
  await expect.poll(() => sql(`select status_id from jobs where id = '${jobId}'`)).toBe(statusBefore);
  await expect(undo).not.toContainText("Moved to");
});

test("deleting a task asks first; cancelling keeps it", async ({ page }) => {
  await logIn(page, "northwind", "alice@northwind.example");
  await openHydrated(page, "/app/jobs");
  const hrefs = await page.locator("a[href]").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  const jobPath = hrefs.find((href) => /^\/app\/jobs\/[0-9a-f-]{36}$/.test(href));
  await openHydrated(page, jobPath!);
  await waitJobReady(page);
  const jobId = jobPath!.split("/").pop();
  const count = () => sql(`select count(*) from job_tasks where job_id = '${jobId}'`);
  const before = count();
  await page.getByRole("button", { name: "Delete task" }).first().click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("This cannot be undone.");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  expect(count()).toBe(before);
});

test("a customer's home and Approvals tab say how many submitted entries wait for them", async ({ page }) => {
  const waiting = Number(
    sql(`select count(*) from work_logs w join customers c on c.id = w.customer_id
          where c.name = 'Harbour Café' and w.status = 'PENDING'`),
  );
  expect(waiting, "the demo data has hours waiting for Harbour Café").toBeGreaterThan(0);
  await logIn(page, "northwind", "carla@harbourcafe.example");
  await openHydrated(page, "/app/portal");
  await expect(page.getByTestId("hours-waiting")).toContainText("hours waiting for you");
  await expect(page.getByTestId("hours-waiting")).toContainText(waiting === 1 ? "1 entry" : `${waiting} entries`);
  // The tab is named with its count for screen readers, and shows the number: in the
  // side navigation on a desktop, in the tab bar on a phone.
  for (const [navigation, size] of [["Main", DESKTOP], ["Main (mobile)", PHONE]] as const) {
    await page.setViewportSize(size);
    const tab = page
      .getByRole("navigation", { name: navigation, exact: true })
      .getByRole("link", { name: new RegExp(`^Approvals\\W+${waiting} waiting$`) });
    await expect(tab.getByTestId("waiting-badge")).toHaveText(new RegExp(`^${waiting}`));
  }
  await screenshots(page, "customer-hours-waiting");
  await page.getByTestId("hours-waiting").click();
  await expect(page).toHaveURL(/\/app\/approvals$/);
});

test("a customer declines hours with a reason by keyboard; the form opens in view and gives the focus back", async ({ browser, baseURL, page }) => {
  // An entry of its own to decline: Walter logs and submits 20 minutes early one morning.
  const walter = await serverFunctionsAs(browser, baseURL!, "walter@northwind.example");
  const job = sql(`select j.id from jobs j join customers c on c.id = j.customer_id
                    join users u on u.id = j.assigned_worker_id
                    where c.name = 'Harbour Café' and u.email = 'walter@northwind.example' limit 1`);
  const day = new Date(Date.now() - 3 * 24 * 3600 * 1000);
  const date = `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, "0")}-${String(day.getDate()).padStart(2, "0")}`;
  const description = `Keyboard decline ${Date.now().toString(36)}`;
  const entry = await walter.rpc("time/create", {
    form: { job_id: job, date, start: "05:00", end: "05:20", duration: "", break_minutes: "", description },
  });
  await walter.rpc("time/submit", { ids: [entry.id] });
  await walter.close();

  await logIn(page, "northwind", "carla@harbourcafe.example");
  await openHydrated(page, "/app/approvals");
  await waitReady(page);
  const item = page.getByTestId("pending-item").filter({ hasText: description });
  const decline = item.getByRole("button", { name: "Decline…" });
  await decline.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog", { name: "Why do you decline this entry?" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toBeInViewport();
  const reason = dialog.getByLabel("Reason (the worker sees it)");
  await expect(reason).toBeFocused();
  // Escape closes it and the focus is back on the button.
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(decline).toBeFocused();

  await page.keyboard.press("Enter");
  await expect(reason).toBeFocused();
  await page.keyboard.type("Nobody was on site that early.");
  await page.keyboard.press("Tab");
  await expect(dialog.getByRole("button", { name: "Decline", exact: true })).toBeFocused();
  await expectVisibleFocus(page);
  await page.keyboard.press("Enter");
  await expect(dialog).toBeHidden();
  await expect.poll(() => sql(`select status || ' ' || coalesce(decline_reason, '') from work_logs where id = '${entry.id}'`))
    .toBe("DECLINED Nobody was on site that early.");
});

test("signing in works by keyboard alone", async ({ page }) => {
  await openHydrated(page, "/northwind/login");
  await page.getByLabel("Email").focus();
  await expectVisibleFocus(page);
  await page.keyboard.type("alice@northwind.example");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Password", { exact: true })).toBeFocused();
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/app\/dashboard$/);
});

test("reassigning a job asks first, then says in the status region what happened", async ({ browser, baseURL }) => {
  const admin = await serverFunctionsAs(browser, baseURL!, "alice@northwind.example");
  const customer = sql("select c.id from customers c join companies co on co.id = c.company_id where co.slug = 'northwind' and c.deactivated_at is null order by c.name limit 1");
  const status = sql("select s.id from job_statuses s join companies co on co.id = s.company_id where co.slug = 'northwind' and s.kind = 'OPEN' order by s.order_index limit 1");
  const walter = sql("select id from users where email = 'walter@northwind.example'");
  const title = `Reassign me ${Date.now().toString(36)}`;
  const job = await admin.rpc("jobs/create", {
    form: { customer_id: customer, title, description: "", scheduled_date: "", scheduled_time: "", worker_id: walter, status_id: status, tasks: [] },
  });
  await admin.close();

  const page = await browser.newPage({ baseURL });
  await logIn(page, "northwind", "alice@northwind.example");
  await openHydrated(page, `/app/jobs/${job.id}`);
  await waitJobReady(page);
  await page.getByLabel("Assign to").selectOption({ label: "Wanda Keller" });
  await page.getByRole("button", { name: "Assign…" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("Wanda Keller");
  await dialog.getByRole("button", { name: "Assign to Wanda Keller" }).click();
  await expect(dialog).toBeHidden();
  const said = page.getByTestId("job-said");
  await expect(said).toHaveAttribute("role", "status");
  await expect(said).toHaveText("Assigned to Wanda Keller.");
  expect(sql(`select u.email from jobs j join users u on u.id = j.assigned_worker_id where j.id = '${job.id}'`)).toBe("wanda@northwind.example");
  await page.close();
});

test("deactivating and restoring a customer is announced to screen readers", async ({ browser, baseURL }) => {
  const admin = await serverFunctionsAs(browser, baseURL!, "alice@northwind.example");
  const name = `Quiet Customer ${Date.now().toString(36)}`;
  const customer = await admin.rpc("customers/create", { form: { name, email: "", phone: "", address: "" } });
  await admin.close();

  const page = await browser.newPage({ baseURL });
  await logIn(page, "northwind", "alice@northwind.example");
  await openHydrated(page, `/app/customers/${customer.id}`);
  await page.getByRole("button", { name: "Deactivate…" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Deactivate", exact: true }).click();
  const announcement = page.getByTestId("announcement");
  await expect(announcement).toHaveAttribute("aria-live", "polite");
  await expect(announcement).toHaveText(`${name} was deactivated. No new jobs can be created for them.`);
  await screenshots(page, "customer-deactivated");
  await page.getByRole("button", { name: "Restore" }).click();
  await expect(announcement).toHaveText(`${name} was restored.`);
  await page.close();
});
