// The policy edited in the app (issue 26, must-shows 2 and 4): offline, the admin adds a banned
// phrase and the 2027 holidays; bad values (an empty phrase, a negative tier, a holiday outside
// its year, a script step without a name) are refused on the device next to the field. Online,
// an agent's device receives the new policy on its next sync: the live check catches the phrase
// and a reply promised the day before a 2027 holiday skips it. The history shows who made each
// version, what changed, and restoring the first brings the old list back on the agent's device.
// The promise's case says which policy version its deadline was counted under.
// The station's checklist is policy data too: a shop's own check reaches the packer's tablet.
// So is QA's score sheet: a weight of 0 is refused beside it.
// On a server of its own: the policy is shared by every test on a server.
import { expect, type Page } from "./fixtures";
import { apiToken, cameraShot, caseOfOwn, expectAccessible, goTo, serverRecords, signIn, waiting } from "./helpers";
import { testOnOwnServer } from "./server-process";

const test = testOnOwnServer("policy");

// The shop's time zone, as the policy's working hours are written in.
test.use({ timezoneId: "Asia/Shanghai" });

const PHRASE = "催什么催";
const ALTERNATIVE = "我马上为您加急处理。";
const GIFT_CHECK = "赠品齐全";

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
  test.setTimeout(150_000);
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
  // The default policy's 29 phrases, once the page has read the policy from the device.
  const rows = page.getByTestId("phrase-row");
  const count = 29;
  await expect(rows).toHaveCount(count);
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

  // The 2027 holidays and a night shift; a date of 2028 in 2027's list is refused.
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
  // A night shift past midnight; one that ends as it starts is refused.
  await expect(page.getByTestId("shift-row")).toHaveCount(2);
  await page.getByTestId("add-shift").click();
  const night = page.getByTestId("shift-row").nth(2);
  await night.getByTestId("shift-zh").fill("夜班");
  await night.getByTestId("shift-en").fill("Night shift");
  await night.getByTestId("shift-start").fill("22:00");
  await night.getByTestId("shift-end").fill("22:00");
  await expectRefused(page, "working_hours.shifts[2].end");
  await night.getByTestId("shift-end").fill("06:00");
  await expectSaved(page);

  // A script step without a name is refused.
  await page.goto("/policy/scripts");
  await page.getByTestId("script-step").nth(1).getByTestId("step-zh").fill("");
  await page.getByTestId("policy-save").click();
  await expect(page.getByTestId("policy-refused")).toContainText(".steps[1].zh");
  await expect(page.getByTestId("script-step").nth(1).getByTestId("field-problem")).toContainText("不能为空");
  await expectAccessible(page);

  // The station's checklist: the checks the return rules read cannot go; a shop's own is added.
  await page.goto("/policy/inspection");
  const checks = page.getByTestId("label-row");
  await expect(checks).toHaveCount(4);
  await checks.filter({ hasText: "packaging" }).getByRole("button").click();
  await page.getByTestId("policy-save").click();
  await expect(page.getByTestId("policy-refused")).toContainText("缺少“packaging”");
  await expect(page.locator('[data-testid="field-problem"][data-field="inspection_checks"]')).toBeVisible();
  await page.reload();
  await page.getByTestId("add-label").click();
  await checks.nth(4).getByTestId("label-zh").fill(GIFT_CHECK);
  await checks.nth(4).getByTestId("label-en").fill("Free gifts included");
  await expectSaved(page);
  await expectAccessible(page);

  // QA's score sheet: a weight of 0 is refused beside it; another weight is kept.
  await page.goto("/policy/score-sheet");
  const items = page.getByTestId("score-item-row");
  await expect(items).toHaveCount(6);
  await items.nth(0).getByTestId("weight").fill("0");
  await expectRefused(page, "qa_score_sheet[0].weight");
  await items.nth(0).getByTestId("weight").fill("20");
  await expectSaved(page);
  await expectAccessible(page);

  // Four saves wait in the outbox; online, they become versions by the admin.
  await expect(waiting(page)).toHaveAttribute("data-count", "4");
  await page.context().setOffline(false);
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 15_000 });
  const held = (await serverRecords(request)).find((record) => record.record_type === "policy")!;
  const data = held.fields.data.current as { value: any; by: string };
  expect(data.by).toBe("admin");
  expect(data.value.banned_phrases.map((entry: { phrase: string }) => entry.phrase)).toContain(PHRASE);
  expect(data.value.qa_score_sheet.map((item: { weight: number }) => item.weight)).toEqual([20, 25, 20, 15, 10, 15]);
  expect(data.value.working_hours.shifts.map((shift: { zh: string; end: string }) => [shift.zh, shift.end])).toEqual([
    ["白班", "18:00"],
    ["晚班", "22:00"],
    ["夜班", "06:00"],
  ]);
  expect(data.value.working_hours.years.find((year: { year: number }) => year.year === 2027).holidays).toEqual([
    "2027-10-01",
    "2027-10-04",
  ]);

  // The packer's station asks the shop's new check, and a parcel failing it must be explained,
  // as any other failed check.
  const stationContext = await browser.newContext();
  const packer = await stationContext.newPage();
  await signIn(packer, "packer");
  // Scanned again until the first sync has brought the return's case.
  await expect(async () => {
    await packer.getByTestId("station-scan").fill("SF1234567890");
    await packer.getByTestId("station-scan").press("Enter");
    await expect(packer.getByTestId("station-return")).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  const giftRow = packer.locator(".check-row").filter({ hasText: GIFT_CHECK });
  await expect(giftRow).toHaveCount(1);
  for (const check of ["tracking", "items", "packaging", "tags"]) {
    await packer.getByTestId(`check-${check}-yes`).click();
  }
  await giftRow.getByRole("button", { name: /否|No/ }).click();
  await packer.getByTestId("condition-as_new").click();
  await packer.getByTestId("station-supplier").fill("杭州茶厂");
  await packer.getByTestId("station-style").fill("TG-GIFT");
  await packer.getByTestId("photo-input").setInputFiles([await cameraShot(packer, "parcel.png")]);
  await expect(packer.getByTestId("photo-list").locator("img")).toHaveCount(1);
  await packer.getByTestId("decision-accept_refund").click();
  await expect(packer.getByTestId("station-error")).toHaveText("有不一致、瑕疵，或拒收、转主管时，请写明情况");
  await expectAccessible(packer);
  await packer.getByTestId("station-note").fill("少了赠品茶杯");
  await packer.getByTestId("decision-accept_refund").click();
  await expect(packer.getByTestId("station-done")).toBeVisible();
  await expect(waiting(packer)).toHaveAttribute("data-count", "0", { timeout: 15_000 });
  const inspected = (await serverRecords(request))
    .flatMap((record) => record.events)
    .find((event) => event.kind === "inspection" && (event.data as { style_code?: string }).style_code === "TG-GIFT");
  const giftId = data.value.inspection_checks.find((check: { zh: string }) => check.zh === GIFT_CHECK).id;
  expect((inspected?.data as { other_checks?: object }).other_checks).toEqual({ [giftId]: false });
  await stationContext.close();

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
  await agent.keyboard.type(`假期前的承诺 ${Date.now()}`);
  await agent.getByTestId("outcome-follow_up").click();
  await expect(agent.getByTestId("promise-deadline")).toHaveText("须在 10-05 12:00 前回复");
  // Saved, the case says which policy version the deadline was counted under.
  await agent.getByTestId("save-inquiry").click();
  await expect(agent.getByTestId("inquiry-saved")).toBeVisible();
  await goTo(agent, "promises");
  await agent.getByTestId("promise-row").filter({ hasText: "假期前的承诺" }).getByRole("link").click();
  const inForceVersion = held.fields.data.current.change.replaceAll("-", "").slice(-8);
  await expect(agent.getByTestId("reply-policy")).toHaveText(`依据当前政策（版本 ${inForceVersion}）`);
  await expectAccessible(agent);

  // The history: the admin's four versions over the seeded one, what each changed, and a
  // restore of the first.
  await page.goto("/policy/history");
  const versions = page.getByTestId("policy-version");
  await expect(versions).toHaveCount(5);
  await expect(versions.nth(0).getByTestId("in-force")).toBeVisible();
  await expect(versions.nth(0).getByTestId("version-id")).toHaveText(inForceVersion);
  for (const index of [0, 1, 2, 3]) await expect(versions.nth(index).getByTestId("version-by")).toHaveText("admin");
  await expect(versions.nth(4).getByTestId("version-by")).toHaveText("system");
  await versions.nth(2).getByTestId("compare-previous").click();
  // The calendar's save: the 2027 holidays and the night shift.
  const differences = page.getByTestId("policy-difference");
  await expect(differences).toHaveCount(2);
  await expect(differences.filter({ hasText: "working_hours.shifts[" })).toContainText("夜班");
  await expect(differences.filter({ hasText: "working_hours.years[2027]" })).toHaveCount(1);
  await versions.nth(4).getByTestId("compare-in-force").click();
  await expect(page.getByTestId("policy-difference").filter({ hasText: PHRASE })).toHaveCount(1);
  await expect(page.getByTestId("policy-difference").filter({ hasText: GIFT_CHECK })).toHaveCount(1);
  await expectAccessible(page);
  await versions.nth(4).getByTestId("restore").click();
  await expect(page.getByTestId("policy-saved")).toBeVisible();
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 15_000 });
  await page.reload();
  await expect(versions).toHaveCount(6);
  await expect(versions.nth(0).getByTestId("in-force")).toBeVisible();
  await expect(versions.nth(0).getByTestId("version-by")).toHaveText("admin");

  // The agent's device gets the old list back: the phrase is no longer caught.
  await agent.clock.setFixedTime(new Date());
  await goTo(agent, "cases");
  await agent.getByTestId("case-search").fill(title);
  await agent.getByTestId("case-row").filter({ hasText: title }).click();
  await expect.poll(() => noteCatches(agent, PHRASE), { timeout: 20_000 }).toBe(false);
  // The promise made before keeps the version it was counted under, now an earlier one.
  await goTo(agent, "promises");
  await agent.getByTestId("promise-row").filter({ hasText: "假期前的承诺" }).getByRole("link").click();
  await expect(agent.getByTestId("reply-policy")).toHaveText(`依据较早的政策（版本 ${inForceVersion}）`);
  await agentContext.close();

  // The policy as a file, for a shop that keeps it in git: one with a negative amount is refused
  // naming the field; the exported one is imported as a new version.
  await page.goto("/policy");
  const admin = await apiToken(request, "admin");
  const exported = await (await request.get("/api/policy.toml", { headers: { authorization: `Bearer ${admin}` } })).text();
  const file = (text: string) => ({ name: "kefu-policy.toml", mimeType: "text/plain", buffer: Buffer.from(text) });
  await page.getByTestId("policy-import").setInputFiles(file(exported.replace(/min_fen = (\d+)/, "min_fen = -$1")));
  await expect(page.getByTestId("policy-import-refused")).toContainText("item_classes[0].compensation_tiers[0].min_fen");
  await expect(page.getByTestId("policy-import-refused")).toContainText("不能为负数");
  await page.getByTestId("policy-import").setInputFiles(file(exported));
  await expect(page.getByTestId("policy-imported")).toBeVisible();
  await expectAccessible(page);
});
