// The monthly KPIs on a lead's device (issue 27, must-show 5): a team of 50 agents with a month
// of data (10,000 cases, a tenth of them returns, each with a note, and 20,000 calls in one
// imported call log), synced to the lead's fresh browser profile; then the KPI page opened from
// the daily report's tab, timed until its table shows all 50 agents: it reads the records from
// IndexedDB, decodes them and computes every figure in the shared crate (median of 5). Beside
// it, the limit in the same page: plain JavaScript reading the same records from the app's
// IndexedDB (getAll of the cases and call logs; median of 5).
import { randomUUID } from "node:crypto";
import { whileRateLimited } from "./rate.mjs";

const AGENTS = 50;
const CASES = Number(process.env.KEFU_BENCH_KPI_CASES ?? 10_000);
const CALLS_PER_AGENT = 400;
const TEAM = "kpi";
const LEAD = "kpi-lead";
const PASSWORD = "Bench-Kefu-2026-kpi!";
const ADMIN_PASSWORD = "kefu-demo-2026";
const PROTOCOL = { "kefu-protocol": "4" };

const ms = (value) => `${value.toFixed(1)} ms`;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function call(api, method, path, token, data) {
  const response = await whileRateLimited(() =>
    api.fetch(path, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...PROTOCOL },
      data,
    }),
  );
  if (!response.ok()) throw new Error(`${method} ${path}: ${response.status()} ${await response.text()}`);
  return response.status() === 204 ? null : response.json().catch(() => null);
}

async function signIn(api, username, password) {
  return (await call(api, "POST", "/api/login", null, { username, password })).token;
}

/** A new account of the team, signed in with its own password (the first one is one-time). */
async function account(api, admin, username, role) {
  const created = await call(api, "POST", "/api/accounts", admin, { username, display_name: username, role, team: TEAM });
  const token = await signIn(api, username, created.password);
  await call(api, "POST", "/api/password", token, { current: created.password, new: PASSWORD });
  return signIn(api, username, PASSWORD);
}

function change(recordType, recordId, op) {
  return { change_id: randomUUID(), device: randomUUID(), stamp: { wall_ms: Date.now(), counter: 0 }, record_type: recordType, record_id: recordId, ...op };
}

async function push(api, token, changes) {
  const body = await call(api, "POST", "/api/sync/push", token, { changes });
  const refused = body.outcomes.filter((outcome) => outcome.status === "rejected");
  if (refused.length > 0) throw new Error(`push rejected: ${JSON.stringify(refused[0])}`);
}

/** The shop's local time `minutesAgo` before now, as the phone system writes it. */
function shopTime(minutesAgo) {
  return new Date(Date.now() + 8 * 3600_000 - minutesAgo * 60_000).toISOString().slice(0, 19).replace("T", " ");
}

async function seed(api) {
  const started = Date.now();
  const admin = await signIn(api, "admin", ADMIN_PASSWORD);
  await call(api, "POST", "/api/teams", admin, { id: TEAM, name: "绩效基准组" });
  const lead = await account(api, admin, LEAD, "team_lead");
  const perAgent = CASES / AGENTS;
  const rows = ["时间,坐席,结果,等待秒数"];
  for (let a = 0; a < AGENTS; a++) {
    const username = `kpi-agent-${String(a + 1).padStart(2, "0")}`;
    const token = await account(api, admin, username, "agent");
    const changes = [];
    for (let n = 0; n < perAgent; n++) {
      const id = randomUUID();
      const fields = {
        kind: n % 10 === 0 ? "return" : "inquiry",
        title: `基准工单 ${a}-${n}`,
        customer_name: "基准客户",
        customer_phone: "13800005555",
        order_number: null,
        status: "open",
      };
      changes.push(change("case", id, { op: "create", fields }));
      changes.push(change("case", id, { op: "append", event: randomUUID(), kind: "note", data: { body: "已联系客户，问题已解决。" } }));
    }
    for (let i = 0; i < changes.length; i += 200) await push(api, token, changes.slice(i, i + 200));
    // Within the last day: this month in the shop, whenever the benchmark runs.
    for (let c = 0; c < CALLS_PER_AGENT; c++) rows.push(`${shopTime(c * 3)},${username},${c % 7 === 0 ? "未接" : "接通"},${10 + (c % 60)}`);
  }
  // The lead imports the log as the import page would, parsed by the same rules: pushed here
  // as the record the page writes.
  const calls = rows.slice(1).map((row) => {
    const [at, agent, result, wait] = row.split(",");
    return { at: new Date(`${at.replace(" ", "T")}+08:00`).toISOString(), agent, answered: result === "接通", wait_seconds: Number(wait) };
  });
  await push(api, lead, [change("call_log", randomUUID(), { op: "create", fields: { source: "bench.csv", calls } })]);
  return { seconds: (Date.now() - started) / 1000, calls: calls.length };
}

/** In the page: plain JavaScript reading the same records from the app's IndexedDB. */
async function plainReads(times) {
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open("kefu");
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const results = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    const counts = await new Promise((resolve, reject) => {
      const tx = db.transaction("records");
      const byType = tx.objectStore("records").index("by_type");
      const cases = byType.getAll("case");
      const logs = byType.getAll("call_log");
      tx.oncomplete = () => resolve({ cases: cases.result.length, logs: logs.result.length });
      tx.onerror = () => reject(tx.error);
    });
    results.push({ elapsed: performance.now() - started, ...counts });
  }
  db.close();
  return results;
}

/** In the page: from a click on the KPI tab to its table showing `agents` rows, painted. */
async function openKpis(agents) {
  const painted = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const rows = () => document.querySelectorAll("[data-testid=kpi-table] tbody tr").length;
  document.querySelector("[data-testid=report-tab-daily]").click();
  while (!document.querySelector("[data-testid=daily-table]")) await painted();
  const started = performance.now();
  document.querySelector("[data-testid=report-tab-kpis]").click();
  while (rows() !== agents) await painted();
  return performance.now() - started;
}

export async function kpiFigures(browser, api, base, until) {
  const seeded = await seed(api);
  console.log(
    `monthly KPIs: seeded team ${TEAM}, ${AGENTS} agents, ${CASES.toLocaleString("en-US")} cases (a note each), ` +
      `${seeded.calls.toLocaleString("en-US")} calls, in ${seeded.seconds.toFixed(0)} s`,
  );
  const context = await browser.newContext({ baseURL: base, serviceWorkers: "allow", timezoneId: "Asia/Shanghai" });
  const page = await context.newPage();
  await page.goto("/");
  await page.getByTestId("login-username").fill(LEAD);
  await page.getByTestId("login-password").fill(PASSWORD);
  await page.getByTestId("login-submit").click();
  await until("the lead's first sync", async () =>
    (await page.getByTestId("case-count").getAttribute("data-total").catch(() => null)) === String(CASES),
  );
  await page.goto("/reports/daily");
  await page.getByTestId("daily-table").waitFor({ timeout: 120_000 });
  const app = [];
  for (let i = 0; i < 5; i++) app.push(await page.evaluate(openKpis, AGENTS));
  const plain = await page.evaluate(plainReads, 5);
  if (plain[0].cases !== CASES || plain[0].logs !== 1) throw new Error(`plain read found ${JSON.stringify(plain[0])}`);
  const appMedian = median(app);
  const plainMedian = median(plain.map((read) => read.elapsed));
  console.log(
    `  the KPI page of ${AGENTS} agents over ${CASES.toLocaleString("en-US")} cases and a month's calls, computed on the ` +
      `device: median ${ms(appMedian)} (tab click → table shows every agent; read, decode, compute, draw; 5 runs)`,
  );
  console.log(
    `    limit, same page: plain JavaScript reading the same ${CASES.toLocaleString("en-US")} cases and the call log ` +
      `from IndexedDB (getAll): median ${ms(plainMedian)}; ratio ${(appMedian / plainMedian).toFixed(2)}×`,
  );
  await context.close();
}
