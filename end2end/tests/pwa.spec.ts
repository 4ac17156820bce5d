import { expect, test, type Page } from "@playwright/test";
import { logIn, openHydrated, PHONE, screenshots, serverFunctionsAs, sql, waitJobReady } from "./helpers";

// The field worker's installed app on a phone: manifest and service worker, pages
// kept for offline use, changes made offline queued and sent exactly once when the
// connection is back, a refused change explained, and nothing of one worker left
// for the next after sign-out.
test.describe.configure({ mode: "serial" });
test.use({ viewport: PHONE, serviceWorkers: "allow" });

const stamp = Date.now().toString(36);
const JOB = `Service the heat pump ${stamp}`;
const OTHER_JOB = `Check the gutters ${stamp}`;
const NOTE = `Filter was clogged, cleaned it (${stamp})`;
const ENTRY = `Fetched a spare filter (${stamp})`;

function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** PNG width and height from the IHDR chunk. */
function pngSize(bytes: Buffer) {
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

async function offlinePages(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const cache = await caches.open("fieldbook-pages");
    return (await cache.keys()).map((request) => new URL(request.url).pathname);
  });
}

let jobId = "";
let otherJobId = "";
let walter = "";
let wanda = "";

test("the app is installable: manifest, icons, service worker", async ({ page, request }) => {
  const manifest = await (await request.get("/manifest.webmanifest")).json();
  expect(manifest).toMatchObject({ name: "Fieldbook", short_name: "Fieldbook", start_url: "/app", display: "standalone" });
  expect(manifest.shortcuts.map((s: { url: string }) => s.url)).toEqual(["/app/my-jobs", "/app/time"]);
  const purposes = new Set<string>();
  for (const icon of manifest.icons) {
    const response = await request.get(icon.src);
    expect(response.headers()["content-type"]).toBe("image/png");
    const { width, height } = pngSize(await response.body());
    expect(`${width}x${height}`).toBe(icon.sizes);
    purposes.add(icon.purpose);
  }
  expect([...purposes].sort()).toEqual(["any", "maskable"]);
  expect(manifest.icons.map((i: { sizes: string }) => i.sizes)).toEqual(expect.arrayContaining(["192x192", "512x512"]));
  const apple = await request.get("/apple-touch-icon.png");
  expect(pngSize(await apple.body())).toEqual({ width: 180, height: 180 });

  await openHydrated(page, "/northwind/login");
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
  await expect(page.locator('meta[name="apple-mobile-web-app-capable"]')).toHaveAttribute("content", "yes");
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
  // Chromium's own verdict: nothing keeps the app from being installed (but the test
  // browser's private profile, which never installs anything).
  const cdp = await page.context().newCDPSession(page);
  const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
  expect(installabilityErrors.filter((e: { errorId: string }) => e.errorId !== "in-incognito")).toEqual([]);
  // The hashed bundle is precached; the runtime comes from our own origin.
  const cached = await page.evaluate(async () => {
    const names = await caches.keys();
    const precache = await caches.open(names.find((n) => n.includes("precache")) ?? "");
    return (await precache.keys()).map((r) => new URL(r.url).pathname);
  });
  expect(cached.some((path) => /^\/pkg\/fieldbook\.[\w-]{16,}\.wasm$/.test(path))).toBe(true);
  // The bundle is split by route: the loader and the parts of the worker's job page and
  // of signing in are there too, or a page the phone has not opened yet would not open
  // offline.
  expect(cached.some((path) => /^\/pkg\/__wasm_split\.[\w-]{22}\.js$/.test(path))).toBe(true);
  for (const part of ["sign_in_part", "field_part"]) {
    expect(cached.some((path) => new RegExp(`^/pkg/split_${part}_\\d+\\.[\\w-]{16,}\\.wasm$`).test(path)), part).toBe(true);
  }
  expect(cached).toContain("/offline.html");
  const script = await (await request.get("/sw.js")).text();
  expect(script).toContain('importScripts("/workbox-v');
  expect(script).not.toMatch(/https?:\/\//);
});

test("a worker's changes made offline reach the server once, with the phone's times", async ({ browser, baseURL }) => {
  const boss = await serverFunctionsAs(browser, baseURL!, "alice@northwind.example");
  const options = await boss.rpc("jobs/options", {});
  const worker = (name: string) => options.workers.find((w: { name: string }) => w.name === name).id;
  walter = worker("Walter Brandt");
  wanda = worker("Wanda Keller");
  const form = (title: string, tasks: string[]) => ({
    form: {
      customer_id: options.customers[0].id,
      title,
      description: "Yearly service of the heat pump in the cellar.",
      scheduled_date: today(),
      scheduled_time: "",
      worker_id: walter,
      status_id: options.statuses[0].id,
      tasks,
    },
  });
  jobId = (await boss.rpc("jobs/create", form(JOB, ["Clean the filter", "Check the pressure"]))).id;
  otherJobId = (await boss.rpc("jobs/create", form(OTHER_JOB, ["Clear the downpipe"]))).id;

  const context = await browser.newContext({ baseURL, viewport: PHONE, serviceWorkers: "allow" });
  const page = await context.newPage();
  await logIn(page, "northwind", "walter@northwind.example");
  await openHydrated(page, "/app/my-jobs");
  await page.evaluate(() => navigator.serviceWorker.ready);
  // The app fetches the worker's pages into the offline cache.
  await expect
    .poll(() => offlinePages(page), { timeout: 20_000 })
    .toEqual(expect.arrayContaining(["/app/my-jobs", "/app/time", `/app/jobs/${jobId}`, `/app/jobs/${otherJobId}`]));
  // Installation is offered on a worker's page when the browser offers it, and "Not now" is remembered.
  await page.evaluate(() => {
    const offer = Object.assign(new Event("beforeinstallprompt", { cancelable: true }), {
      prompt: () => Promise.resolve(),
      userChoice: Promise.resolve({ outcome: "dismissed" }),
    });
    window.dispatchEvent(offer);
  });
  await expect(page.getByRole("button", { name: "Install Fieldbook" })).toBeVisible();
  await screenshots(page, "pwa-install-offer");
  await page.getByRole("button", { name: "Not now" }).click();
  await expect(page.getByRole("button", { name: "Install Fieldbook" })).toHaveCount(0);

  // No signal: the job opens from the cache, saying so.
  await context.setOffline(true);
  await page.goto(`/app/jobs/${jobId}`);
  await waitJobReady(page);
  await expect(page.getByTestId("job-title")).toHaveText(JOB);
  await expect(page.getByTestId("offline-line")).toContainText(/Offline — as of \d\d:\d\d/);

  const before = {
    notes: sql(`select count(*) from job_notes n join jobs j on j.id = n.job_id where j.title = '${JOB}'`),
    ticked: sql(`select count(*) from job_tasks t join jobs j on j.id = t.job_id where j.title = '${JOB}' and t.is_completed`),
    logs: sql(`select count(*) from work_logs where worker_id = '${walter}'`),
  };
  await page.getByLabel("Clean the filter").check();
  await expect(page.getByLabel("Clean the filter")).toBeChecked();
  await page.getByLabel("Add a note").fill(NOTE);
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(page.getByTestId("note-list")).toContainText(NOTE);
  await page.getByRole("button", { name: "In progress" }).click();
  await expect(page.getByTestId("job-waiting")).toContainText("3 changes");
  await expect(page.getByTestId("sync-badge")).toHaveText("3 changes waiting to sync");
  await screenshots(page, "pwa-offline-job");

  // A change to the other job, which the admin will give to someone else meanwhile.
  await page.goto(`/app/jobs/${otherJobId}`);
  await waitJobReady(page);
  await page.getByLabel("Clear the downpipe").check();
  await expect(page.getByTestId("sync-badge")).toHaveText("4 changes waiting to sync");

  // The timer, started from the job page and stopped from the bar.
  await page.goto(`/app/jobs/${jobId}`);
  await waitJobReady(page);
  const started = Date.now();
  await page.getByRole("button", { name: "Start timer on this job" }).click();
  await expect(page.getByTestId("timer-bar")).toContainText(JOB);
  await expect(page.getByTestId("job-timer-running")).toBeVisible();
  await page.waitForTimeout(4_000);
  await page.getByTestId("timer-bar").getByRole("button", { name: "Stop" }).click();
  const stopped = Date.now();
  await expect(page.getByTestId("timer-offline")).toContainText(/Stopped at [\d:]+/);
  await expect(page.getByTestId("sync-badge")).toHaveText("6 changes waiting to sync");

  // The time page the phone kept; its job picker offers today's unfinished job first.
  await page.goto("/app/time");
  await expect(page.getByTestId("offline-line")).toBeVisible();
  const picked = await page.locator("#timer-job").inputValue();
  expect(
    sql(`select s.kind <> 'DONE' and (j.scheduled_at at time zone 'Europe/Berlin')::date = (now() at time zone 'Europe/Berlin')::date
           from jobs j join job_statuses s on s.id = j.status_id where j.id = '${picked}'`),
  ).toBe("t");
  // A manual entry two days ago.
  const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
  const date = `${twoDaysAgo.getFullYear()}-${String(twoDaysAgo.getMonth() + 1).padStart(2, "0")}-${String(twoDaysAgo.getDate()).padStart(2, "0")}`;
  await page.getByRole("button", { name: "Add entry" }).click();
  const entry = page.getByTestId("manual-entry");
  await entry.getByLabel("Job").selectOption({ label: `${JOB} · ${options.customers[0].name}` });
  await entry.getByLabel("Date").fill(date);
  await entry.getByLabel("Start").fill("06:00");
  await entry.getByLabel("End").fill("06:45");
  await entry.getByLabel("What did you do?").fill(ENTRY);
  await entry.getByRole("button", { name: "Save as draft" }).click();
  await expect(page.getByTestId("entry-offline")).toContainText("saved on this phone");
  await expect(page.getByTestId("sync-badge")).toHaveText("7 changes waiting to sync");
  await screenshots(page, "pwa-offline-time");

  // Nothing has reached the server.
  expect(sql(`select count(*) from job_notes n join jobs j on j.id = n.job_id where j.title = '${JOB}'`)).toBe(before.notes);
  expect(sql(`select count(*) from job_tasks t join jobs j on j.id = t.job_id where j.title = '${JOB}' and t.is_completed`)).toBe(before.ticked);
  expect(sql(`select count(*) from work_logs where worker_id = '${walter}'`)).toBe(before.logs);

  // The admin gives the other job to Wanda while Walter has no signal.
  await boss.rpc("jobs/assign", { id: otherJobId, worker_id: wanda });
  // The note reached the server once already, but its answer was lost on the way to
  // the phone: the phone will send it again with the same key.
  const queued = await page.evaluate(() => (self as any).FieldbookQueue.all());
  const note = queued.find((change: { endpoint: string }) => change.endpoint === "jobs/add_note");
  // (The request context is the test's, not the phone's: it is not offline.)
  const direct = await context.request.post("/rpc/jobs/add_note", {
    data: note.args,
    headers: { Origin: baseURL!, "Idempotency-Key": note.key },
  });
  expect(direct.ok(), await direct.text()).toBeTruthy();
  expect(sql(`select count(*) from job_notes where body = '${NOTE}'`)).toBe("1");

  // Signal again: the queue drains in order.
  const online = Date.now();
  await context.setOffline(false);
  await expect(page.getByTestId("sync-badge")).toHaveCount(0, { timeout: 30_000 });
  // The change to the reassigned job could not be made, and says why.
  const failed = page.getByTestId("sync-failed");
  await expect(failed).toContainText("1 change could not sync");
  await expect(failed).toContainText("Ticked “Clear the downpipe”: This is no longer yours: the job was reassigned");
  await screenshots(page, "pwa-sync-failed");

  // Each change exactly once.
  expect(sql(`select count(*) from job_notes where body = '${NOTE}'`)).toBe("1");
  expect(sql(`select string_agg(t.title, ',') from job_tasks t join jobs j on j.id = t.job_id where j.title = '${JOB}' and t.is_completed`)).toBe("Clean the filter");
  expect(sql(`select s.name from jobs j join job_statuses s on s.id = j.status_id where j.id = '${jobId}'`)).toBe("In progress");
  expect(sql(`select count(*) from job_tasks where job_id = '${otherJobId}' and is_completed`)).toBe("0");
  expect(sql(`select count(*) from work_logs where description = '${ENTRY}'`)).toBe("1");
  expect(Number(sql(`select count(*) from work_logs where worker_id = '${walter}'`))).toBe(Number(before.logs) + 2);
  // The timer's hours are the offline interval, not the moment of sync.
  const [seconds, startedAt] = sql(
    `select extract(epoch from ended_at - started_at)::float || '|' || (extract(epoch from started_at) * 1000)::bigint
       from work_logs where worker_id = '${walter}' and job_id = '${jobId}' and description = '' order by created_at desc limit 1`,
  ).split("|");
  expect(Math.abs(Number(seconds) - (stopped - started) / 1000)).toBeLessThan(2);
  expect(Number(startedAt)).toBeLessThan(online - 3_000);

  await failed.getByRole("button", { name: "Dismiss" }).click();
  await expect(failed).toHaveCount(0);
  await boss.close();
  await context.close();
});

test("My jobs comes without the WASM: its timer bar works from the server's forms, and offline from the queue", async ({ browser, baseURL }) => {
  // A timer running on the worker's job, started elsewhere (another tab, say).
  const phone = await serverFunctionsAs(browser, baseURL!, "walter@northwind.example");
  await phone.rpc("time/start", { job_id: jobId, at: null });
  await phone.close();

  const context = await browser.newContext({ baseURL, viewport: PHONE, serviceWorkers: "allow" });
  const page = await context.newPage();
  await logIn(page, "northwind", "walter@northwind.example");
  const scripts: string[] = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    if (/^\/pkg\/.*\.(wasm|js)$/.test(path)) scripts.push(path);
  });
  await openHydrated(page, "/app/my-jobs");
  await expect(page.locator("html")).toHaveAttribute("data-wasm", "none");
  expect(scripts, "My jobs loads no part of the WASM bundle").toEqual([]);
  // The server drew the bar: job, clock (ticking here), and its buttons.
  const bar = page.getByTestId("timer-bar");
  await expect(bar).toContainText(JOB);
  const shown = await bar.getByTestId("timer-elapsed").textContent();
  await expect(bar.getByTestId("timer-elapsed")).not.toHaveText(shown!, { timeout: 3_000 });

  // Online, a tap is the form it is: the server pauses the timer and says so.
  await bar.getByRole("button", { name: "Pause" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Timer paused." })).toBeVisible();
  await expect(bar.getByRole("button", { name: "Resume" })).toBeVisible();
  await expect(bar).toContainText("Paused");
  expect(sql(`select count(*) from work_logs where worker_id = '${walter}' and ended_at is null and paused_at is not null`)).toBe("1");
  await screenshots(page, "pwa-my-jobs-timer-paused");

  // No signal: Resume and Stop are kept on the phone, shown at once, sent later.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await context.setOffline(true);
  const resumed = Date.now();
  await bar.getByRole("button", { name: "Resume" }).click();
  await expect(page.getByTestId("timer-offline")).toContainText(/Resumed at \d\d:\d\d, saved on this phone/);
  await expect(bar.getByRole("button", { name: "Pause" })).toBeVisible();
  await page.waitForTimeout(3_000);
  await bar.getByRole("button", { name: "Stop" }).click();
  const stopped = Date.now();
  await expect(page.getByTestId("timer-offline")).toContainText(/Stopped at \d\d:\d\d with \d+:\d\d:\d\d worked, saved on this phone/);
  await expect(bar).toBeHidden();
  await expect(page.getByTestId("sync-badge")).toHaveText("2 changes waiting to sync");
  await screenshots(page, "pwa-my-jobs-timer-offline");
  expect(sql(`select count(*) from work_logs where worker_id = '${walter}' and ended_at is null`)).toBe("1");

  // Signal again: both reach the server, with the phone's moments.
  await page.waitForTimeout(2_000);
  await context.setOffline(false);
  await expect(page.getByTestId("sync-badge")).toHaveCount(0, { timeout: 30_000 });
  expect(sql(`select count(*) from work_logs where worker_id = '${walter}' and ended_at is null`)).toBe("0");
  const endedAt = Number(sql(
    `select (extract(epoch from ended_at) * 1000)::bigint from work_logs
       where worker_id = '${walter}' and job_id = '${jobId}' order by ended_at desc limit 1`,
  ));
  expect(Math.abs(endedAt - stopped)).toBeLessThan(1_500);
  expect(endedAt - resumed).toBeGreaterThan(2_500);

  // Its links are plain links: a job opens (with the WASM the job page needs).
  await page.locator(`a[href="/app/jobs/${jobId}"]`).first().click();
  await expect(page).toHaveURL(new RegExp(`/app/jobs/${jobId}$`));
  await waitJobReady(page);
  expect(scripts.some((path) => path.endsWith(".wasm")), "the job page loads the WASM").toBe(true);
  await context.close();
});

test("after sign-out, the next worker on the phone cannot open the first one's pages", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, viewport: PHONE, serviceWorkers: "allow" });
  const page = await context.newPage();
  await logIn(page, "northwind", "walter@northwind.example");
  await openHydrated(page, "/app/my-jobs");
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => offlinePages(page), { timeout: 20_000 }).toContain(`/app/jobs/${jobId}`);
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/northwind\/login\?signed_out$/);
  await expect.poll(() => offlinePages(page)).toEqual([]);

  await logIn(page, "northwind", "wanda@northwind.example");
  await openHydrated(page, "/app/my-jobs");
  await expect.poll(() => offlinePages(page), { timeout: 20_000 }).toContain("/app/my-jobs");
  expect(await offlinePages(page)).not.toContain(`/app/jobs/${jobId}`);
  await context.setOffline(true);
  await page.goto(`/app/jobs/${jobId}`);
  await expect(page.getByRole("heading", { name: "You are offline" })).toBeVisible();
  await expect(page.getByText(JOB)).toHaveCount(0);
  await screenshots(page, "pwa-offline-page");
  await context.close();
});
