// Several tabs on one device: exactly one syncs (it holds the Web Lock), the others have it
// send their writes, and when the syncing tab closes another takes over.
import { expect, test, type Page } from "./fixtures";
import { goTo } from "./helpers";

async function newCase(page: Page, title: string) {
  await goTo(page, "new-case");
  await page.getByTestId("case-title").fill(title);
  await page.getByTestId("save-case").click();
  await expect(page.getByTestId("case-title")).toHaveText(title);
}

function leaderFlag(page: Page) {
  return page.getByTestId("status-badge").getAttribute("data-sync-leader");
}

test("one tab syncs for all, and another takes over when it closes", async ({ context }) => {
  const first = await context.newPage();
  await first.goto("/");
  await first.getByTestId("login-username").fill("demo");
  await first.getByTestId("login-password").fill("kefu-demo-2026");
  await first.getByTestId("login-submit").click();
  await expect(first.getByTestId("status-badge")).toHaveAttribute("data-sync-leader", "true");

  const second = await context.newPage();
  await second.goto("/");
  await expect(second.getByTestId("case-list")).toBeVisible();
  // Give the second tab time to ask for the lock; it must not get it while the first lives.
  await second.waitForTimeout(1_000);
  expect([await leaderFlag(first), await leaderFlag(second)]).toEqual(["true", "false"]);

  // A write in the follower is sent by the leader, and the follower's badge learns of it.
  await newCase(second, `跟随标签页登记 ${Date.now()}`);
  await expect(second.getByTestId("waiting-count")).toHaveAttribute("data-count", "0", { timeout: 10_000 });
  await expect(second.getByTestId("connectivity")).toHaveAttribute("data-state", "online");

  await first.close();
  await expect(second.getByTestId("status-badge")).toHaveAttribute("data-sync-leader", "true");
  await newCase(second, `接管后登记 ${Date.now()}`);
  await expect(second.getByTestId("waiting-count")).toHaveAttribute("data-count", "0", { timeout: 10_000 });
});
