// The team's reports (issue 27, must-show 3): the lead imports the phone system's call log (one
// bad row named by its line, the rest taken), then opens the monthly KPIs and the daily report.
// Their charts render (screenshots saved), each page passes an accessibility scan, and each
// CSV download says what the page says, which equals a count the test makes itself from the
// records it created and the server holds. The lead marks the daily report sent, and the
// supervisor sees which teams' reports are in and which are late. On a server of its own: the figures are the team's,
// and another test's cases would move them.
import { expect, type Page } from "./fixtures";
import { randomUUID } from "node:crypto";
import { change, expectAccessible, goTo, pushAs, type Record, serverRecords, signIn, waiting } from "./helpers";
import { testOnOwnServer } from "./server-process";

const test = testOnOwnServer("reports");

// The shop's time zone (the default policy's), so the device reads the call log's times as the
// shop does.
test.use({ timezoneId: "Asia/Shanghai" });
const SHOP_OFFSET_MS = 8 * 3600_000;

/** A time in the shop `minutes` ago, as the phone system writes it: within the last day and,
 * but in a month's first minutes, this month. */
function shopToday(minutes: number): string {
  return new Date(Date.now() + SHOP_OFFSET_MS - minutes * 60_000).toISOString().slice(0, 19).replace("T", " ");
}

/** The month `at` falls in, in the shop. */
function shopMonth(at: string | number): string {
  return new Date(new Date(at).getTime() + SHOP_OFFSET_MS).toISOString().slice(0, 7);
}

function newCase(kind: string, title: string): object {
  return change(randomUUID(), {
    op: "create",
    fields: { kind, title, customer_name: "报表客户", customer_phone: "13800004444", order_number: null, status: "open" },
  });
}

/** The CSV behind a download link, as lines of cells (no quoted commas in these figures). */
async function csvLines(page: Page, testId: string): Promise<string[][]> {
  const href = (await page.getByTestId(testId).getAttribute("href"))!;
  const text = decodeURIComponent(href.slice(href.indexOf(",") + 1));
  expect(text.startsWith("\uFEFF"), "a UTF-8 byte-order mark").toBe(true);
  expect(text).toContain("\r\n");
  return text
    .slice(1)
    .trimEnd()
    .split("\r\n")
    .map((line) => line.split(","));
}

test("a lead imports a call log, and the monthly KPIs and daily report show, chart and download the same figures", async ({
  page,
  browser,
  request,
}, testInfo) => {
  test.setTimeout(150_000);
  const run = `${testInfo.project.name}-${Date.now()}`;
  // What the test creates: demo opens three cases (one a return), agent2 one inquiry.
  const mine = [newCase("inquiry", `咨询 ${run}`), newCase("return", `退货 ${run}`), newCase("inquiry", `发票 ${run}`)];
  for (const outcome of await pushAs(request, "demo", mine)) expect(outcome.status).toBe("applied");
  for (const outcome of await pushAs(request, "agent2", [newCase("inquiry", `咨询 ${run} 2`)])) {
    expect(outcome.status).toBe("applied");
  }

  await signIn(page, "lead");
  await goTo(page, "reports");
  await page.getByTestId("report-tab-calls").click();
  const csv = [
    "时间,坐席,结果,等待秒数",
    `${shopToday(1)},demo,接通,20`,
    `${shopToday(2)},demo,接通,40`,
    `${shopToday(3)},demo,忙线,90`,
    `${shopToday(4)},demo,未接,90`,
    `${shopToday(5)},agent2,接通,60`,
  ].join("\r\n");
  await page.getByTestId("call-log-file").setInputFiles({ name: "calls.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await expect(page.getByTestId("call-log-read")).toContainText("4");
  const bad = page.getByTestId("call-log-bad-rows").locator("li");
  await expect(bad).toHaveCount(1);
  await expect(bad).toHaveAttribute("data-line", "4");
  await expect(bad).toContainText("忙线");
  await expectAccessible(page);
  await page.getByTestId("call-log-import").click();
  await expect(page.getByTestId("call-log-imported")).toBeVisible();
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 30_000 });

  // The test's own count, from the records the server holds for the lead's team.
  const records = await serverRecords(request, "lead");
  const logs = records.filter((record: Record) => record.record_type === "call_log");
  expect(logs).toHaveLength(1);
  const calls = (logs[0].fields.calls.current.value as { agent: string; answered: boolean; wait_seconds: number }[]).filter(
    (call) => call.agent === "demo",
  );
  expect(calls).toHaveLength(3);
  const answered = calls.filter((call) => call.answered);
  const month = shopMonth(Date.now());
  const demoCases = records.filter(
    (record: Record) => record.record_type === "case" && record.created?.by === "demo" && shopMonth(record.created.at) === month,
  );
  const returns = demoCases.filter((record) => record.fields.kind.current.value === "return");
  const expected = {
    answer_rate: (Math.round((answered.length * 1000) / calls.length) / 10).toFixed(1),
    calls: `${answered.length}/${calls.length}`,
    first_response: (answered.reduce((sum, call) => sum + call.wait_seconds, 0) / answered.length).toFixed(1),
    return_rate: (Math.round((returns.length * 1000) / demoCases.length) / 10).toFixed(1),
  };
  expect(expected.calls).toBe("2/3");

  await page.getByTestId("report-tab-kpis").click();
  await expect(page.getByTestId("kpi-period")).toContainText("(UTC+08:00)");
  const demoRow = page.getByTestId("kpi-table").locator('tr[data-agent="demo"]');
  for (const [column, value] of Object.entries(expected)) {
    await expect(demoRow.locator(`[data-column="${column}"]`), column).toHaveText(value, { timeout: 15_000 });
  }
  await expect(page.getByTestId("kpi-chart").locator("rect").first()).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: `target/screenshots/kpis-${testInfo.project.name}.png`, fullPage: true });
  const kpiCsv = await csvLines(page, "kpi-csv");
  expect(kpiCsv[0].join(",")).toBe((await page.getByTestId("kpi-period").textContent())!.replace(/^\S+\s/, ""));
  const columns = await page.getByTestId("kpi-table").locator("thead th").allTextContents();
  expect(kpiCsv[1]).toEqual(columns);
  const shown = await demoRow.locator("th, td").allTextContents();
  const demoLine = kpiCsv.find((cells) => cells[0] === "demo")!;
  // The page says "no data" where the CSV leaves the cell empty.
  const noData = await demoRow.locator("[data-no-data]").count();
  expect(demoLine.filter((cell) => cell === "").length).toBe(noData);
  for (const [index, cell] of demoLine.entries()) if (cell !== "") expect(cell, columns[index]).toBe(shown[index]);
  const columnIds = await page
    .getByTestId("kpi-table")
    .locator("thead th")
    .evaluateAll((cells) => cells.map((cell) => cell.getAttribute("data-column")));
  for (const [column, value] of Object.entries(expected)) expect(demoLine[columnIds.indexOf(column)], column).toBe(value);

  await page.getByTestId("report-tab-daily").click();
  await expect(page.getByTestId("daily-period")).toContainText("(UTC+08:00)");
  const dayAgo = Date.now() - 24 * 3600_000;
  const openedToday = (kind: string) =>
    records.filter(
      (record: Record) =>
        record.record_type === "case" &&
        record.team === "east" &&
        record.fields.kind.current.value === kind &&
        new Date(record.created!.at).getTime() >= dayAgo,
    ).length;
  const line = (section: string, id: string) => page.getByTestId("daily-table").locator(`tr[data-section="${section}"][data-id="${id}"] [data-testid=value]`);
  for (const kind of ["inquiry", "return"]) {
    await expect(line("opened", kind), kind).toHaveText(String(openedToday(kind)));
  }
  expect(openedToday("inquiry")).toBeGreaterThanOrEqual(3);
  // Today's answered calls in the shop: 20, 40 and 60 seconds.
  await expect(line("summary", "first_response_seconds")).toHaveText("40.0");
  await expect(page.getByTestId("daily-chart").locator("rect").first()).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: `target/screenshots/daily-${testInfo.project.name}.png`, fullPage: true });
  const dailyCsv = await csvLines(page, "daily-csv");
  expect(dailyCsv[1]).toEqual(await page.getByTestId("daily-table").locator("thead th").allTextContents());
  const csvValue = (section: string, id: string) => dailyCsv.find((cells) => cells[0] === section && cells[1] === id)?.[3];
  expect(csvValue("opened", "inquiry")).toBe(String(openedToday("inquiry")));
  expect(csvValue("opened", "return")).toBe(String(openedToday("return")));
  expect(csvValue("summary", "first_response_seconds")).toBe("40.0");

  // The lead marks it sent; by 12:00 in the shop it is on time. The supervisor sees east's
  // sent and west's not (due before noon, late after).
  const beforeNoon = new Date(Date.now() + SHOP_OFFSET_MS).getUTCHours() < 12;
  await expect(page.getByTestId("daily-unsent")).toHaveAttribute("data-late", String(!beforeNoon));
  await page.getByTestId("daily-mark-sent").click();
  await expect(page.getByTestId("daily-sent")).toHaveAttribute("data-on-time", String(beforeNoon));
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 30_000 });
  const sent = (await serverRecords(request, "lead")).filter((record: Record) => record.record_type === "daily_report");
  expect(sent).toHaveLength(1);
  const sentLines = sent[0].fields.lines.current.value as { section: string; id: string; value: string | null }[];
  expect(sentLines.find((line) => line.section === "opened" && line.id === "inquiry")?.value).toBe(String(openedToday("inquiry")));

  const supervisor = await (await browser.newContext({ timezoneId: "Asia/Shanghai" })).newPage();
  await signIn(supervisor, "supervisor");
  await goTo(supervisor, "reports");
  const team = (id: string) => supervisor.getByTestId("daily-team").and(supervisor.locator(`[data-team="${id}"]`));
  await expect(team("east")).toHaveAttribute("data-state", "sent", { timeout: 15_000 });
  await expect(team("west")).toHaveAttribute("data-state", beforeNoon ? "due" : "late");
  await expectAccessible(supervisor);
  await supervisor.context().close();
});

test("an admin weighs the KPI score on the policy pages, a weight over 100 refused beside it, and the lead's scores follow", async ({
  page,
  browser,
  request,
}, testInfo) => {
  test.setTimeout(120_000);
  await signIn(page, "admin");
  await page.goto("/policy/limits");
  const weight = (name: string) => page.getByTestId(`kpi_weights.${name}`);
  await weight("answer_rate").fill("101");
  await page.getByTestId("policy-save").click();
  await expect(page.getByTestId("policy-refused")).toContainText("kpi_weights.answer_rate");
  await expect(page.locator('[data-testid="field-problem"][data-field="kpi_weights.answer_rate"]')).toBeVisible();
  // Only the answer rate weighs now.
  await weight("answer_rate").fill("100");
  for (const name of ["first_response", "satisfaction", "return_rate", "qa_score", "incidents", "overdue_promises"]) {
    await weight(name).fill("0");
  }
  await expectAccessible(page);
  await page.getByTestId("policy-save").click();
  await expect(page.getByTestId("policy-saved")).toBeVisible();
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 30_000 });

  // The phone system's log as the import page writes it: demo answered 3 of 4 calls.
  const calls = [true, true, false, true].map((answered, minute) => ({
    at: new Date(Date.now() - (minute + 1) * 60_000).toISOString(),
    agent: "demo",
    answered,
    wait_seconds: 30,
  }));
  const imported = await pushAs(request, "lead", [change(randomUUID(), { op: "create", fields: { source: "calls.csv", calls } }, "call_log")]);
  expect(imported[0].status).toBe("applied");

  const lead = await (await browser.newContext({ timezoneId: "Asia/Shanghai" })).newPage();
  await signIn(lead, "lead");
  await goTo(lead, "reports");
  await lead.getByTestId("report-tab-kpis").click();
  const demo = lead.getByTestId("kpi-table").locator('tr[data-agent="demo"]');
  await expect(demo.locator('[data-column="answer_rate"]')).toHaveText("75.0", { timeout: 15_000 });
  await expect(demo.locator('[data-column="kpi_score"]'), "the score is the answer rate alone").toHaveText("75.0");
  await lead.screenshot({ path: `target/screenshots/kpis-weighted-${testInfo.project.name}.png`, fullPage: true });
  await lead.context().close();
});

/** A complaint of `owner`'s registered with `cause`, its callback answered `satisfaction`, and, if
 * `followUp`, a second callback arranged for tomorrow. */
function complaintAnswered(title: string, cause: string | null, satisfaction: number, followUp: boolean): object[] {
  const id = randomUUID();
  let wall = Date.now();
  const at = (op: object) => ({ ...change(id, op), stamp: { wall_ms: wall++, counter: 0 } });
  const step = (name: string, values: object, said?: string) =>
    at({ op: "append", event: randomUUID(), kind: "script_step", data: { version: 1, step: name, values, ...(said ? { said } : {}) } });
  const plan = randomUUID();
  const changes = [
    at({
      op: "create",
      fields: { kind: "complaint", title, customer_name: "回访客户", customer_phone: "13800006666", order_number: null, status: "open" },
    }),
  ];
  if (cause !== null) {
    changes.push(
      step("listen", { mindset: "respect", facts: "客服态度不好" }),
      step("guide", { need: "respected", guiding_answers: "希望道歉" }),
      step("clarify", { fault: "shop", solutions: "道歉并补偿", agreed: true }, "非常抱歉，我们马上处理"),
      step("resolve_thank", { asked: true, thanked: true }),
      step("register", { category: "service", cause, problem: "态度", solution: "道歉", result: "接受" }),
    );
  }
  changes.push(
    at({ op: "append", event: plan, kind: "callback_planned", data: { due: new Date(Date.now() - 60_000).toISOString(), note: "回访" } }),
    at({ op: "append", event: randomUUID(), kind: "callback_made", data: { callback: plan, satisfaction, comment: `不满意 ${title}` } }),
  );
  if (followUp) {
    const tomorrow = new Date(Date.now() + 24 * 3600_000).toISOString();
    changes.push(at({ op: "append", event: randomUUID(), kind: "callback_planned", data: { due: tomorrow, note: "再次回访" } }));
  }
  return changes;
}

test("the week's dissatisfied callbacks by cause, each with the callback arranged, charted and as CSV", async ({ page, request }, testInfo) => {
  const run = `${testInfo.project.name}-${Date.now()}`;
  const rude = `态度投诉 ${run}`;
  const slow = `物流投诉 ${run}`;
  for (const [title, cause, satisfaction, followUp] of [
    [rude, "negligence", 2, true],
    [slow, null, 1, false],
  ] as const) {
    const outcomes = await pushAs(request, "demo", complaintAnswered(title, cause, satisfaction, followUp));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(outcomes.map(() => "applied"));
  }
  // The test's own count: the team's callbacks answered 1 or 2, by the case's registered cause.
  const records = await serverRecords(request, "lead");
  const weekAgo = Date.now() - 7 * 24 * 3600_000;
  const causeOf = (record: Record) => {
    const step = record.events.find((event) => event.kind === "script_step" && (event.data as { step: string }).step === "register");
    return step ? (step.data as unknown as { values: { cause: string } }).values.cause : "unregistered";
  };
  const bad = records.flatMap((record: Record) =>
    record.events
      .filter((event) => event.kind === "callback_made" && (event.data as unknown as { satisfaction: number }).satisfaction <= 2)
      .filter((event) => new Date(event.at).getTime() >= weekAgo)
      .map(() => causeOf(record)),
  );
  expect(bad.filter((cause) => cause === "negligence").length).toBeGreaterThanOrEqual(1);

  await signIn(page, "lead");
  await goTo(page, "reports");
  await page.getByTestId("report-tab-weekly").click();
  await expect(page.getByTestId("weekly-period")).toContainText("(UTC+08:00)");
  const answers = page.getByTestId("bad-answer");
  await expect(answers).toHaveCount(bad.length, { timeout: 15_000 });
  for (const cause of new Set(bad)) {
    await expect(page.getByTestId("weekly-causes").locator(`tr[data-cause="${cause}"] [data-testid=count]`), cause).toHaveText(
      String(bad.filter((each) => each === cause).length),
    );
  }
  const rudeRow = answers.filter({ hasText: rude });
  await expect(rudeRow).toHaveAttribute("data-arranged", "true");
  await expect(rudeRow.locator('[data-column="follow_up_by"]')).toHaveText("demo");
  await expect(answers.filter({ hasText: slow })).toHaveAttribute("data-arranged", "false");
  await expect(page.getByTestId("weekly-chart").locator("rect").first()).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: `target/screenshots/weekly-${testInfo.project.name}.png`, fullPage: true });
  const csv = await csvLines(page, "weekly-csv");
  expect(csv.length - 2, "a line per answer").toBe(bad.length);
  const rudeLine = csv.find((cells) => cells[0] === rude)!;
  expect(rudeLine).toEqual(await rudeRow.locator("td").allTextContents());
});
