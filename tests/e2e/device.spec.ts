// What the app says about the device itself.
import { expect, test } from "./fixtures";
import { signIn } from "./helpers";

test("the device warns before its storage runs out", async ({ page }) => {
  await page.addInitScript(() => {
    const mb = 1024 * 1024;
    navigator.storage.estimate = async () => ({ usage: 95 * mb, quota: 100 * mb });
  });
  await signIn(page);
  const warning = page.getByTestId("storage-warning");
  await expect(warning).toContainText("存储空间快满了");
  await expect(warning).toContainText("95 MB");
});

test("no storage warning while there is room", async ({ page }) => {
  await page.addInitScript(() => {
    const mb = 1024 * 1024;
    navigator.storage.estimate = async () => ({ usage: 5 * mb, quota: 10_000 * mb });
  });
  await signIn(page);
  await expect(page.getByTestId("case-list")).toBeVisible();
  await expect(page.getByTestId("storage-warning")).toHaveCount(0);
});
