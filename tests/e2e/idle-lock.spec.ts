// A shared tablet at the packing station locks after the policy's idle minutes: nothing of the
// packer's shows; the packer unlocks it with the password while the Wi-Fi is down; a reload
// does not lift the lock; a wrong password does not either.
import { expect, test } from "./fixtures";
import { DEMO_PASSWORD, expectAccessible, goTo, signIn } from "./helpers";

test("a shared device locks when idle and its user unlocks it offline", async ({ browser }, testInfo) => {
  const viewport = testInfo.project.name === "desktop" ? { width: 1024, height: 768 } : { width: 768, height: 1024 };
  const station = await browser.newContext({ viewport, hasTouch: true });
  const page = await station.newPage();
  await page.clock.install({ time: new Date() });
  await signIn(page, "packer");
  await page.getByTestId("user-menu").click();
  await page.getByTestId("nav-account").click();
  await page.getByTestId("shared-device").check();
  await goTo(page, "station");
  await expect(page.getByTestId("station")).toBeVisible();

  await station.setOffline(true);
  // Nine minutes idle: still open. The policy's ten: locked, with nothing of the station.
  await page.clock.fastForward("09:00");
  await expect(page.getByTestId("station")).toBeVisible();
  await page.clock.fastForward("01:30");
  await expect(page.getByTestId("lock-screen")).toBeVisible();
  await expect(page.getByTestId("lock-screen")).toContainText("演示打包员");
  await expect(page.getByTestId("station")).toHaveCount(0);
  await expect(page.getByTestId("user-menu")).toHaveCount(0);
  await expectAccessible(page);

  await page.reload();
  await expect(page.getByTestId("lock-screen")).toBeVisible();
  await page.getByTestId("unlock-password").fill("not-the-password");
  await page.getByTestId("unlock").click();
  await expect(page.getByTestId("unlock-error")).toHaveText("密码不对");
  await expect(page.getByTestId("lock-screen")).toBeVisible();
  await page.getByTestId("unlock-password").fill(DEMO_PASSWORD);
  await page.getByTestId("unlock").click();
  await expect(page.getByTestId("station")).toBeVisible();
  await expect(page.getByTestId("lock-screen")).toHaveCount(0);
  await station.close();
});
