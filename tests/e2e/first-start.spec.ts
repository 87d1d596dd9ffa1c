// A shop's real first start, on a server without demo data: the command line creates the first
// admin; the admin creates team "north" and two agents with one-time passwords; an agent must
// choose a password, sees only north's records, signs out with work waiting, and a colleague on
// the same tablet sees none of it; the work reaches the server as the agent's once they sign in
// again; an account the admin disables says so in its open tab and keeps its outbox.
import { expect, type APIRequestContext, type Page } from "./fixtures";
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { expectAccessible, goTo, waiting } from "./helpers";
import { ownDir, ownPort, serverBin, startServer, stopServer } from "./server-process";
import { test as base } from "./fixtures";

const ADMIN_PASSWORD = "north-river-lamp-71";
const PROTOCOL = { "kefu-protocol": "4" };

const test = base.extend<{ ownServer: { base: string } }>({
  ownServer: async ({}, use, testInfo) => {
    const port = ownPort("first-start", testInfo);
    const dir = ownDir("first-start", testInfo);
    const database = `sqlite://${dir}/kefu.db`;
    // The README's First start: without an admin the server refuses; the CLI makes one.
    const refused = spawnSync(serverBin, ["--database", database, "--listen", `127.0.0.1:${port}`]);
    expect(refused.status).toBe(2);
    const created = spawnSync(
      serverBin,
      ["--database", database, "admin", "create-user", "--username", "boss", "--display-name", "店长", "--role", "admin", "--team", "hq"],
      { input: `${ADMIN_PASSWORD}\n` },
    );
    expect(created.status, created.stderr.toString()).toBe(0);
    const server = await startServer(port, dir, "dist", false);
    try {
      await use({ base: `http://127.0.0.1:${port}` });
    } finally {
      await stopServer(server);
    }
  },
  baseURL: async ({ ownServer }, use) => use(ownServer.base),
});

async function signInAs(page: Page, username: string, password: string) {
  await page.goto("/");
  await page.getByTestId("login-username").fill(username);
  await page.getByTestId("login-password").fill(password);
  await page.getByTestId("login-submit").click();
}

async function tokenOf(request: APIRequestContext, username: string, password: string): Promise<string> {
  const answer = await request.post("/api/login", { data: { username, password } });
  expect(answer.ok()).toBeTruthy();
  return (await answer.json()).token;
}

async function casesOnServer(request: APIRequestContext, title: string) {
  const token = await tokenOf(request, "boss", ADMIN_PASSWORD);
  const pulled = await request.get("/api/sync/pull", { headers: { Authorization: `Bearer ${token}`, ...PROTOCOL } });
  const records: { id: string; team: string; created?: { by: string }; fields: { title?: { current: { value: string } } } }[] =
    (await pulled.json()).records;
  return records.filter((record) => record.fields.title?.current.value === title);
}

/** Creates an agent in north on the accounts page; their one-time password. */
async function createAgent(page: Page, username: string, name: string): Promise<string> {
  await page.getByTestId("new-username").fill(username);
  await page.getByTestId("new-display-name").fill(name);
  await page.getByTestId("new-role").selectOption("agent");
  await page.getByTestId("new-account-team").selectOption("north");
  await page.getByTestId("create-account").click();
  await expect(page.getByTestId("one-time-password")).toContainText(username);
  await expect(page.locator(`[data-testid=account][data-username=${username}]`)).toBeVisible();
  return (await page.getByTestId("one-time-password-value").textContent())!.trim();
}

/** Signs in with a one-time password and chooses `password`. */
async function firstSignIn(page: Page, username: string, oneTime: string, password: string) {
  await signInAs(page, username, oneTime);
  await expect(page.getByTestId("first-password")).toBeVisible();
  await page.getByTestId("current-password").fill(oneTime);
  await page.getByTestId("new-password").fill("password123");
  await page.getByTestId("save-password").click();
  await expect(page.getByTestId("new-password-error")).toContainText("太常见");
  await page.getByTestId("new-password").fill(password);
  await page.getByTestId("save-password").click();
  await expect(page.getByTestId("first-password")).toHaveCount(0);
  await expect(page.getByTestId("user-menu")).toBeVisible();
}

test("the first admin, a team, agents with one-time passwords, sign-out, a shared tablet and a disabled account", async ({
  browser,
  ownServer,
  request,
}, testInfo) => {
  test.setTimeout(120_000);
  // Each person's own browser, at this project's size, on this test's server.
  const { viewport, hasTouch, isMobile } = testInfo.project.use;
  const newContext = () => browser.newContext({ viewport, hasTouch, isMobile, baseURL: ownServer.base });
  const admin = await (await newContext()).newPage();
  await signInAs(admin, "boss", ADMIN_PASSWORD);
  await expect(admin.getByTestId("user-menu")).toBeVisible();
  // The admin's own case, in team hq: no north agent may see it.
  const hqTitle = `总部的案件 ${testInfo.project.name}`;
  const token = await tokenOf(request, "boss", ADMIN_PASSWORD);
  const pushed = await request.post("/api/sync/push", {
    headers: { Authorization: `Bearer ${token}`, ...PROTOCOL },
    data: {
      changes: [
        {
          change_id: randomUUID(),
          device: randomUUID(),
          stamp: { wall_ms: Date.now(), counter: 0 },
          record_type: "case",
          record_id: randomUUID(),
          op: "create",
          fields: {
            kind: "inquiry",
            title: hqTitle,
            customer_name: "总部客户",
            customer_phone: "13800003333",
            order_number: null,
            status: "open",
          },
        },
      ],
    },
  });
  expect(pushed.ok()).toBeTruthy();
  expect((await pushed.json()).outcomes[0].status).toBe("applied");

  await goTo(admin, "accounts");
  await admin.getByTestId("new-team-id").fill("north");
  await admin.getByTestId("new-team-name").fill("北区");
  await admin.getByTestId("create-team").click();
  await expect(admin.locator("[data-testid=team][data-team=north]")).toBeVisible();
  const amyOneTime = await createAgent(admin, "amy", "王艾米");
  const boOneTime = await createAgent(admin, "bo", "李波");
  await expectAccessible(admin);

  // The agents' shared tablet.
  const tabletContext = await newContext();
  const tablet = await tabletContext.newPage();
  await firstSignIn(tablet, "amy", amyOneTime, "tea-garden-lantern-27");
  await expectAccessible(tablet);
  await expect(tablet.getByTestId("case-row").filter({ hasText: hqTitle })).toHaveCount(0);
  await tablet.waitForFunction(() => navigator.serviceWorker.controller !== null);

  // Offline, amy saves a case, then signs out with it waiting.
  const amyTitle = `艾米离线登记 ${testInfo.project.name}`;
  await tabletContext.setOffline(true);
  await goTo(tablet, "new-case");
  await tablet.getByTestId("case-title").fill(amyTitle);
  await tablet.getByTestId("save-case").click();
  await expect(waiting(tablet)).toHaveAttribute("data-count", "1");
  await tablet.getByTestId("user-menu").click();
  await tablet.getByTestId("sign-out").click();
  await expect(tablet.getByTestId("sign-out-waiting")).toContainText("1");
  await tablet.getByTestId("sign-out-confirm").click();
  await expect(tablet.getByTestId("login-username")).toHaveValue("");
  await tabletContext.setOffline(false);

  // Bo signs in on the same tablet: nothing of amy's shows, her case waits unsent.
  await firstSignIn(tablet, "bo", boOneTime, "silver-kettle-lantern-9");
  await expect(tablet.getByTestId("case-row").filter({ hasText: amyTitle })).toHaveCount(0);
  await goTo(tablet, "outbox");
  await expect(tablet.getByTestId("waiting-for-others")).toHaveAttribute("data-count", "1");
  await expect(tablet.getByTestId("outbox-list")).toHaveCount(0);
  expect(await casesOnServer(request, amyTitle)).toHaveLength(0);
  await tablet.getByTestId("user-menu").click();
  await tablet.getByTestId("sign-out").click();
  await expect(tablet.getByTestId("login-username")).toHaveValue("");

  // Amy again: her case goes to the server as hers.
  await signInAs(tablet, "amy", "tea-garden-lantern-27");
  await expect(tablet.getByTestId("case-row").filter({ hasText: amyTitle })).toHaveCount(1);
  await expect.poll(async () => (await casesOnServer(request, amyTitle)).map((record) => [record.team, record.created?.by])).toEqual([
    ["north", "amy"],
  ]);

  // Offline again, amy writes another; the admin disables her meanwhile.
  const lastTitle = `停用前写的 ${testInfo.project.name}`;
  await tabletContext.setOffline(true);
  await goTo(tablet, "new-case");
  await tablet.getByTestId("case-title").fill(lastTitle);
  await tablet.getByTestId("save-case").click();
  await expect(waiting(tablet)).toHaveAttribute("data-count", "1");
  await admin.reload();
  await admin.locator("[data-testid=account][data-username=amy] [data-testid=account-active]").click();
  await expect(admin.locator("[data-testid=account][data-username=amy]")).toHaveAttribute("data-active", "false");
  await tabletContext.setOffline(false);
  await expect(tablet.getByTestId("session-ended")).toContainText("停用", { timeout: 15_000 });
  await goTo(tablet, "outbox");
  await expect(tablet.getByTestId("outbox-list")).toContainText(lastTitle);
  await expectAccessible(tablet);
  expect(await casesOnServer(request, lastTitle)).toHaveLength(0);
});
