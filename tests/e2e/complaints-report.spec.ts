// The complaints page (日盘点 / 月度投诉分析) for a team lead: its figures by category and cause,
// open and overdue, equal a count the test makes from the records the server holds, and its CSV
// says the same. On a server of its own, so no other test's complaints move the count.
import { expect } from "./fixtures";
import { randomUUID } from "node:crypto";
import { change, goTo, type Record, serverRecords, signIn, pushAs, expectAccessible } from "./helpers";
import { testOnOwnServer } from "./server-process";

const test = testOnOwnServer("complaints");

/** The five changes that open a complaint and run its script to registration. */
function registeredComplaint(title: string, category: string | null, cause: string): object[] {
  const id = randomUUID();
  let wall = Date.now();
  const at = (op: object) => ({ ...change(id, op), stamp: { wall_ms: wall++, counter: 0 } });
  const step = (step: string, values: object, said?: string) =>
    at({ op: "append", event: randomUUID(), kind: "script_step", data: { version: 1, step, values, ...(said ? { said } : {}) } });
  const changes = [
    at({
      op: "create",
      fields: { kind: "complaint", title, customer_name: "投诉客户", customer_phone: "13800003333", order_number: null, status: "open" },
    }),
    step("listen", { mindset: "respect", facts: "客服态度不好" }),
  ];
  if (category === null) return changes;
  return [
    ...changes,
    step("guide", { need: "respected", guiding_answers: "希望道歉" }),
    step("clarify", { fault: "shop", solutions: "道歉并补偿", agreed: true }, "非常抱歉，我们马上处理"),
    step("resolve_thank", { asked: true, thanked: true }),
    step("register", { category, cause, problem: "态度", solution: "道歉", result: "接受" }),
  ];
}

test("the complaints page counts by category and cause as the records say, and its CSV agrees", async ({
  page,
  request,
}, testInfo) => {
  const run = `${testInfo.project.name}-${Date.now()}`;
  const created: [string | null, string][] = [
    ["price", "defect"],
    ["price", "negligence"],
    ["service", "negligence"],
    [null, ""],
  ];
  for (const [n, [category, cause]] of created.entries()) {
    const outcomes = await pushAs(request, "demo", registeredComplaint(`投诉 ${n} ${run}`, category, cause));
    expect(outcomes.map((outcome) => outcome.status)).toEqual(outcomes.map(() => "applied"));
  }

  // The test's own count, from what the server holds for the lead's team.
  const complaints = (await serverRecords(request, "lead")).filter(
    (record: Record) => record.fields.kind?.current.value === "complaint" && !record.deleted,
  );
  const registered = (record: Record, field: string) => {
    const step = record.events.find((event) => event.kind === "script_step" && (event.data as { step: string }).step === "register");
    return step ? ((step.data as { values: { [key: string]: string } }).values[field] ?? "unregistered") : "unregistered";
  };
  const countBy = (field: string) => {
    const counts = new Map<string, number>();
    for (const record of complaints) counts.set(registered(record, field), (counts.get(registered(record, field)) ?? 0) + 1);
    return counts;
  };
  const byCategory = countBy("category");
  const byCause = countBy("cause");
  expect(byCategory.get("price")).toBeGreaterThanOrEqual(2);

  await signIn(page, "lead");
  await goTo(page, "complaints");
  await expect(page.getByTestId("complaints-total")).toHaveText(String(complaints.length), { timeout: 15_000 });
  for (const [section, counts] of [["category", byCategory], ["cause", byCause]] as const) {
    const rows = page.getByTestId(`complaints-by-${section}`).locator("tr");
    const shown = new Map<string, number>();
    for (const row of await rows.all()) {
      shown.set((await row.getAttribute("data-id"))!, Number(await row.getByTestId("count").textContent()));
    }
    for (const [id, count] of counts) expect(shown.get(id), `${section} ${id}`).toBe(count);
    const total = [...shown.values()].reduce((sum, count) => sum + count, 0);
    expect(total, section).toBe(complaints.length);
  }
  const open = complaints.filter((record) => ["open", "pending"].includes(record.fields.status?.current.value as string)).length;
  await expect(page.getByTestId("complaints-open")).toHaveText(String(open));
  await expect(page.getByTestId("complaints-chart")).toBeVisible();
  await expectAccessible(page);
  await page.screenshot({ path: `target/screenshots/complaints-${testInfo.project.name}.png`, fullPage: true });

  // The CSV says the same.
  const href = (await page.getByTestId("complaints-csv").getAttribute("href"))!;
  const csv = decodeURIComponent(href.slice(href.indexOf(",") + 1)).replace(/^\uFEFF/, "");
  const lines = csv.trim().split("\r\n");
  expect(lines[0]).toBe("section,id,name,count");
  const cell = (section: string, id: string) =>
    Number(lines.find((line) => line.startsWith(`${section},${id},`))?.split(",").at(-1));
  for (const [id, count] of byCategory) expect(cell("category", id)).toBe(count);
  for (const [id, count] of byCause) expect(cell("cause", id)).toBe(count);
  expect(cell("summary", "total")).toBe(complaints.length);
  expect(cell("summary", "open")).toBe(open);
});
