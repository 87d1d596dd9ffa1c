// Who is signed in decides what a device may send: an expired session stops sync in every tab
// until someone signs in again (nothing is lost meanwhile), and one user's pending changes
// never reach the server under another user's name.
import { expect, test, type Page } from "./fixtures";
import { allNotes, caseOfOwn, DEMO_PASSWORD, goTo, openCase, serverRecords, signIn, waiting } from "./helpers";

/** The session token the device keeps in IndexedDB. */
function deviceToken(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open("kefu");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const read = open.result.transaction("meta").objectStore("meta").get("session");
          read.onsuccess = () => resolve(read.result.token);
          read.onerror = () => reject(read.error);
        };
      }),
  );
}

async function signInOnForm(page: Page, username: string) {
  await page.getByTestId("login-username").fill(username);
  await page.getByTestId("login-password").fill(DEMO_PASSWORD);
  await page.getByTestId("login-submit").click();
}

async function addNote(page: Page, body: string) {
  await page.getByTestId("note-input").fill(body);
  await page.getByTestId("add-note").click();
  await expect(page.getByTestId("timeline")).toContainText(body);
}

test("an expired session shows in every tab, and signing in in one resumes sync", async ({
  context,
  request,
}, testInfo) => {
  const title = `会话过期 ${testInfo.project.name}-${Date.now()}`;
  await caseOfOwn(request, title);
  const first = await context.newPage();
  await signIn(first);
  const second = await context.newPage();
  await second.goto("/");
  await expect(second.getByTestId("case-list")).toBeVisible();
  await openCase(second, title);

  // The server forgets the session, as when it expires.
  const token = await deviceToken(first);
  const signedOut = await request.post("/api/logout", { headers: { Authorization: `Bearer ${token}` } });
  expect(signedOut.status()).toBe(204);

  const body = `会话过期后写的记录 ${Date.now()}`;
  await addNote(second, body);
  for (const page of [first, second]) {
    await expect(page.getByTestId("sign-in-again")).toBeVisible({ timeout: 15_000 });
  }
  await expect(waiting(second)).toHaveAttribute("data-count", "1");
  expect(allNotes(await serverRecords(request)).filter((note) => note.body === body)).toHaveLength(0);

  // Signing in again in the tab that does not sync is enough for both.
  await second.getByTestId("sign-in-again").click();
  await signInOnForm(second, "demo");
  for (const page of [first, second]) {
    await expect(page.getByTestId("sign-in-again")).toBeHidden({ timeout: 15_000 });
    await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 15_000 });
  }
  const held = allNotes(await serverRecords(request)).filter((note) => note.body === body);
  expect(held).toEqual([{ body, author: "demo" }]);
});

test("user B signing in on a device holding user A's changes never sends them as B's", async ({
  page,
  request,
}, testInfo) => {
  const run = Date.now();
  const title = `换人登录 ${testInfo.project.name}-${run}`;
  await caseOfOwn(request, title);
  await signIn(page, "demo");
  await openCase(page, title);
  const caseUrl = page.url();

  // Sync cannot get through (sign-in still can): A's note stays on the device.
  await page.route("**/api/sync/**", (route) => route.abort());
  await addNote(page, `A 留下的记录 ${run}`);
  await expect(waiting(page)).toHaveAttribute("data-count", "1");

  await page.goto("/login");
  await signInOnForm(page, "lead");
  await expect(page.getByTestId("login-submit")).toBeHidden();
  // The records fetched for A are gone until B's own pull brings what B may see.
  await expect(page.getByTestId("case-row")).toHaveCount(0);
  await page.unroute("**/api/sync/**");
  await expect(page.getByTestId("case-row").first()).toBeVisible({ timeout: 15_000 });
  await page.goto(caseUrl);
  await addNote(page, `B 的记录 ${run}`);
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 15_000 });

  let held = allNotes(await serverRecords(request));
  expect(held.filter((note) => note.body === `B 的记录 ${run}`)).toEqual([
    { body: `B 的记录 ${run}`, author: "lead" },
  ]);
  expect(held.filter((note) => note.body === `A 留下的记录 ${run}`)).toHaveLength(0);
  await goTo(page, "outbox");
  await expect(page.getByTestId("waiting-for-author")).toContainText("demo");

  // When A signs in again, A's note goes, as A's.
  await page.goto("/login");
  await signInOnForm(page, "demo");
  await expect
    .poll(async () => allNotes(await serverRecords(request)).filter((note) => note.body === `A 留下的记录 ${run}`), {
      timeout: 15_000,
    })
    .toEqual([{ body: `A 留下的记录 ${run}`, author: "demo" }]);
  await goTo(page, "outbox");
  await expect(page.getByTestId("outbox-entry")).toHaveCount(0);
  await expect(waiting(page)).toHaveAttribute("data-count", "0");
});
