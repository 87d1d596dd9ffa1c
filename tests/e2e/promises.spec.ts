// Reply promises (seed 000 §5.7(5)): an inquiry that cannot be answered now gets a promised
// reply time, half a working day by default, counted in working hours (lunch excluded). Set
// offline, it shows its deadline and turns red once overdue. The clock is driven by the test
// (Playwright's fake clock), not waited for.
import { expect, test } from "./fixtures";
import { goTo, serverRecords, signIn, waiting, expectAccessible } from "./helpers";

// The shop's time zone, as the policy's working hours are written in.
test.use({ timezoneId: "Asia/Shanghai" });

test("a promised reply set offline shows its working-hours deadline and turns red when overdue", async ({
  page,
  context,
  request,
}, testInfo) => {
  const question = `发票什么时候能开好？ ${testInfo.project.name}-${Date.now()}`;
  // Monday 2 March 2026, 09:00 in Shanghai: half a working day (4 h, lunch 12–13 excluded)
  // runs to 14:00.
  await page.clock.install({ time: new Date("2026-03-02T09:00:00+08:00") });
  await signIn(page);
  await context.setOffline(true);
  await goTo(page, "log-inquiry");
  await expect(page.getByTestId("customer-search")).toBeFocused();
  await page.keyboard.type("李雷");
  await page.keyboard.press("Enter");
  await page.getByTestId("category-other").click();
  await page.keyboard.type(question);
  await page.getByTestId("outcome-follow_up").click();
  await expect(page.getByTestId("promise-half-day")).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("promise-deadline")).toHaveText("须在 03-02 14:00 前回复");
  await page.getByTestId("promise-one-day").click();
  await expect(page.getByTestId("promise-deadline")).toHaveText("须在 03-03 09:00 前回复");
  await page.getByTestId("promise-half-day").click();
  await page.getByTestId("save-inquiry").click();
  await expect(page.getByTestId("inquiry-saved")).toBeVisible();

  await goTo(page, "promises");
  const row = page.getByTestId("promise-row").filter({ hasText: question.slice(0, 12) });
  const promise = row.getByTestId("promise");
  await expect(promise).toHaveAttribute("data-state", "on_time");
  await expect(promise).toContainText("03-02 14:00");
  await expectAccessible(page);

  // 13:05: 55 working minutes left.
  await page.clock.fastForward("04:05:00");
  await expect(promise).toHaveAttribute("data-state", "due_soon");
  // 14:06: overdue, in red.
  await page.clock.fastForward("01:01:00");
  await expect(promise).toHaveAttribute("data-state", "overdue");
  await expect(promise).toHaveCSS("background-color", "rgb(192, 57, 43)");
  await expectAccessible(page);

  // Still overdue after an offline reload, on the list and on the case.
  await page.reload();
  await expect(promise).toHaveAttribute("data-state", "overdue");
  await row.getByRole("link").click();
  await expect(page.getByTestId("promise")).toHaveAttribute("data-state", "overdue");
  await expect(page.getByTestId("case-outcome")).toHaveText("需跟进");

  // Online: the server holds the deadline, 14:00 Shanghai time (plus the seconds the fake
  // clock ran before the save).
  await context.setOffline(false);
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 15_000 });
  const held = (await serverRecords(request)).filter(
    (r) => r.record_type === "case" && r.fields.question?.current.value === question,
  );
  expect(held).toHaveLength(1);
  expect(held[0].fields.reply_due.current.value).toMatch(/^2026-03-02T06:00:[0-5]\dZ$/);
  expect(held[0].fields.status.current.value).toBe("pending");
});
