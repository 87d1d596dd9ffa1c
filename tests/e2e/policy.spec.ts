// The policy edited in the app (issue 26, must-shows 2 and 4): offline, the admin adds a banned
// phrase and the 2027 holidays; bad values (an empty phrase, a negative tier, a holiday outside
// its year, a script step without a name) are refused on the device next to the field. Online,
// an agent's device receives the new policy on its next sync: the live check catches the phrase
// and a reply promised the day before a 2027 holiday skips it. The history shows who made each
// version, what changed, and restoring the first brings the old list back on the agent's device.
// On a server of its own: the policy is shared by every test on a server.
import { expect, type Page } from "@playwright/test";
import { caseOfOwn, expectAccessible, goTo, serverRecords, signIn, waiting } from "./helpers";
import { testOnOwnServer } from "./server-process";

const test = testOnOwnServer("policy");

// The shop's time zone, as the policy's working hours are written in.
test.use({ timezoneId: "Asia/Shanghai" });

const PHRASE = "催什么催";
const ALTERNATIVE = "我马上为您加急处理。";

async function openPart(page: Page, part: string) {
  await page.getByTestId(`policy-part-${part}`).click();
}

/** Saves the form; expects it refused, naming `field` beside the field. */
async function expectRefused(page: Page, field: string) {
  await page.getByTestId("policy-save").click();
  await expect(page.getByTestId("policy-refused")).toContainText(field);
  await expect(page.locator(`[data-testid="field-problem"][data-field="${field}"]`).first()).toBeVisible();
}

async function expectSaved(page: Page) {
  await page.getByTestId("policy-save").click();
  await expect(page.getByTestId("policy-saved")).toBeVisible();
}

/** Types into the agent's note box and says whether the live check marks `phrase`. */
async function noteCatches(page: Page, phrase: string): Promise<boolean> {
  await page.getByTestId("note-input").fill(`您别${phrase}了`);
  const hint = page.getByTestId("banned-phrases");
  return (await hint.isVisible()) && (await hint.locator("mark").allTextContents()).includes(phrase);
}

test("an admin edits the policy offline; agents get it on their next sync; history restores the old one", async ({
  page,
  browser,
  request,
}, testInfo) => {
  test.setTimeout(120_000);
  // The agent, on another device, with a case open to type into.
  const title = `政策更新 ${testInfo.project.name}-${Date.now()}`;
  await caseOfOwn(request, title);
  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  await signIn(agent);
  await agent.getByTestId("case-search").fill(title);
  await agent.getByTestId("case-row").filter({ hasText: title }).click();
  await expect(agent.getByTestId("case-title")).toHaveText(title);
  expect(await noteCatches(agent, PHRASE)).toBe(false);

  // The admin, offline.
  await signIn(page, "admin");
  await goTo(page, "policy");
  await expectAccessible(page);
  await page.context().setOffline(true);

  // A banned phrase: refused while empty, saved once written.
  await openPart(page, "phrases");
  const rows = page.getByTestId("phrase-row");
  const count = await rows.count();
  await page.getByTestId("add-phrase").click();
  await rows.nth(count).getByTestId("alternative").fill(ALTERNATIVE);
  await expectRefused(page, `banned_phrases[${count}].phrase`);
  await expect(rows.nth(count).getByTestId("phrase")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page);
  await rows.nth(count).getByTestId("phrase").fill(PHRASE);
  await expectSaved(page);

  // A negative tier is refused, and nothing of it is saved.
  await page.goto("/policy/tiers");
  const firstTier = page.getByTestId("tier-row").first();
  await firstTier.getByTestId("tier-min").fill("-5");
  await expectRefused(page, "item_classes[0].compensation_tiers[0].min_fen");
  await expect(page.getByTestId("field-problem").first()).toContainText("不能为负数");
  await expectAccessible(page);

  // The 2027 holidays; a date of 2028 in 2027's list is refused.
  await page.goto("/policy/calendar");
  await page.getByTestId("add-year").click();
  await expect(page.getByTestId("calendar-year-2027")).toHaveAttribute("aria-pressed", "true");
  const holidays = page.getByTestId("holidays");
  await holidays.getByTestId("add-holidays").click();
  await holidays.getByTestId("date").nth(0).fill("2027-10-01");
  await holidays.getByTestId("add-holidays").click();
  await holidays.getByTestId("date").nth(1).fill("2028-01-01");
  await expectRefused(page, "working_hours.years[1].holidays[1]");
  await expect(page.getByTestId("policy-refused")).toContainText("2028-01-01 不在 2027 年内");
  await expectAccessible(page);
  await holidays.getByTestId("date").nth(1).fill("2027-10-04");
  await expectSaved(page);

  // A script step without a name is refused.
  await page.goto("/policy/scripts");
  await page.getByTestId("script-step").nth(1).getByTestId("step-zh").fill("");
  await page.getByTestId("policy-save").click();
  await expect(page.getByTestId("policy-refused")).toContainText(".steps[1].zh");
  await expect(page.getByTestId("script-step").nth(1).getByTestId("field-problem")).toContainText("不能为空");
  await expectAccessible(page);

  // Two saves wait in the outbox; online, they become versions by the admin.
  await expect(waiting(page)).toHaveAttribute("data-count", "2");
  await page.context().setOffline(false);
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 15_000 });
  const held = (await serverRecords(request)).find((record) => record.record_type === "policy")!;
  const data = held.fields.data.current as { value: any; by: string };
  expect(data.by).toBe("admin");
  expect(data.value.banned_phrases.map((entry: { phrase: string }) => entry.phrase)).toContain(PHRASE);
  expect(data.value.working_hours.years.find((year: { year: number }) => year.year === 2027).holidays).toEqual([
    "2027-10-01",
    "2027-10-04",
  ]);

  // The agent's device, on its next sync: the live check catches the new phrase.
  await expect.poll(() => noteCatches(agent, PHRASE), { timeout: 20_000 }).toBe(true);
  await expect(agent.getByTestId("banned-phrases")).toContainText(ALTERNATIVE);
  // A reply promised the day before the holidays: Thursday 30 September 2027, 17:00. One hour
  // that day, then Friday 1 October and Monday 4 October are holidays, the weekend between:
  // half a working day runs to Tuesday 12:00 (it would be Friday 12:00 without them).
  await agent.clock.setFixedTime(new Date("2027-09-30T17:00:00+08:00"));
  await goTo(agent, "log-inquiry");
  await expect(agent.getByTestId("customer-search")).toBeFocused();
  await agent.keyboard.type("李雷");
  await agent.keyboard.press("Enter");
  await agent.getByTestId("category-other").click();
  await agent.keyboard.type(`假期前的承诺 ${title}`);
  await agent.getByTestId("outcome-follow_up").click();
  await expect(agent.getByTestId("promise-deadline")).toHaveText("须在 10-05 12:00 前回复");

  // The history: the admin's two versions over the seeded one, what the last changed, and a
  // restore of the first.
  await page.goto("/policy/history");
  const versions = page.getByTestId("policy-version");
  await expect(versions).toHaveCount(3);
  await expect(versions.nth(0).getByTestId("version-by")).toHaveText("admin");
  await expect(versions.nth(0).getByTestId("in-force")).toBeVisible();
  await expect(versions.nth(1).getByTestId("version-by")).toHaveText("admin");
  await expect(versions.nth(2).getByTestId("version-by")).toHaveText("system");
  await versions.nth(0).getByTestId("compare-previous").click();
  await expect(page.getByTestId("policy-difference")).toHaveCount(1);
  await expect(page.getByTestId("policy-difference")).toContainText("working_hours.years[2027]");
  await versions.nth(2).getByTestId("compare-in-force").click();
  await expect(page.getByTestId("policy-difference").filter({ hasText: PHRASE })).toHaveCount(1);
  await expectAccessible(page);
  await versions.nth(2).getByTestId("restore").click();
  await expect(page.getByTestId("policy-saved")).toBeVisible();
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 15_000 });
  await page.reload();
  await expect(versions).toHaveCount(4);
  await expect(versions.nth(0).getByTestId("in-force")).toBeVisible();
  await expect(versions.nth(0).getByTestId("version-by")).toHaveText("admin");

  // The agent's device gets the old list back: the phrase is no longer caught.
  await agent.clock.setFixedTime(new Date());
  await goTo(agent, "cases");
  await agent.getByTestId("case-search").fill(title);
  await agent.getByTestId("case-row").filter({ hasText: title }).click();
  await expect.poll(() => noteCatches(agent, PHRASE), { timeout: 20_000 }).toBe(false);
  await agentContext.close();
});
