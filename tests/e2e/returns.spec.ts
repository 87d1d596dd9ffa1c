// Returns and the packing station (SPEC §3): the agent opens a return online with its
// eligibility review in words; the packer, offline on a touch tablet in landscape or
// portrait, types the tracking number as a scanner does (keystrokes, then Enter), answers the
// checklist, adds two photos (shrunk on the device) and accepts; an offline reload keeps it; back online, the agent's case shows the
// decision and both photos, and the server holds them. A parcel no return expects becomes an unmatched parcel,
// which an agent matches to its return.
import { expect, test } from "./fixtures";
import { randomUUID } from "node:crypto";
import { cameraShot, change, goTo, servedPhoto, serverRecords, signIn, pushAs, waiting, expectAccessible } from "./helpers";

test("a return opened by the agent is inspected offline at the packing station", async ({
  page,
  browser,
  request,
}, testInfo) => {
  const run = `${testInfo.project.name}-${Date.now()}`;
  const tracking = `YT${Date.now()}`;
  const order = `SO-${Date.now()}`;
  await signIn(page);
  await goTo(page, "new-return");
  await page.getByTestId("request-return_refund").click();
  await page.getByTestId("return-reason").selectOption("changed_mind");
  await page.getByTestId("return-customer-name").fill(`退货客户 ${run}`);
  await page.getByTestId("return-customer-phone").fill("13800005555");
  await page.getByTestId("return-order-number").fill(order);
  await page.getByTestId("item-sku-0").fill("TEA-GIFT-01");
  await page.getByTestId("item-qty-0").fill("2");
  await page.getByTestId("add-item").click();
  await page.getByTestId("item-sku-1").fill("CUP-02");
  await page.getByTestId("return-item-class").selectOption("normal");
  const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
  await page.getByTestId("return-received-on").fill(twoDaysAgo);
  await page.getByTestId("return-packaging").check();
  await page.getByTestId("return-tracking").fill(tracking.toLowerCase());
  await page.getByTestId("return-courier").selectOption("yto");
  // The review reads as the agent would say it, before anything is saved.
  await expect(page.getByTestId("return-verdict")).toHaveText("符合退换条件");
  await expect(page.getByTestId("review-reason").filter({ hasText: "在 7 天无理由退货期内" })).toHaveCount(1);
  await expect(page.getByTestId("review-reason").last()).toContainText("退货运费由客户承担");
  await page.getByTestId("return-insurance").check();
  await expect(page.getByTestId("review-reason").last()).toContainText("运费险");
  await expectAccessible(page);
  await page.getByTestId("save-return").click();
  await expect(page.getByTestId("return-panel")).toBeVisible();
  await expect(page.getByTestId("return-tracking-shown")).toHaveText(tracking);
  await expect(page.getByTestId("return-lines").locator("tbody tr")).toHaveCount(2);
  await expect(page.getByTestId("after-sales-due").getByTestId("promise")).toBeVisible();
  // Eligible, so approved as it was saved, with its parcel awaited: nothing to refund yet.
  await expect(page.getByTestId("return-state")).toHaveAttribute("data-state", "awaiting_parcel");
  await expect(page.getByTestId("return-settle")).toHaveCount(0);
  await expectAccessible(page);
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 15_000 });
  const caseUrl = page.url();

  // The packing station: a touch tablet, landscape on one run and portrait on the other.
  const viewport = testInfo.project.name === "desktop" ? { width: 1024, height: 768 } : { width: 768, height: 1024 };
  const station = await browser.newContext({ viewport, hasTouch: true });
  const packer = await station.newPage();
  await signIn(packer, "packer");
  // The return has reached the station's device (searched for: the list builds only the cards
  // on screen, and tests on other workers add newer cases); then the Wi-Fi drops.
  await goTo(packer, "cases");
  await packer.getByTestId("case-search").fill(order);
  await expect(packer.getByTestId("case-row").filter({ hasText: order })).toHaveCount(1, { timeout: 15_000 });
  await goTo(packer, "station");
  await expect(packer.getByTestId("station-scan")).toBeFocused();
  await station.setOffline(true);

  await packer.keyboard.type(`${tracking.slice(0, 2)} ${tracking.slice(2)}`, { delay: 5 });
  await packer.keyboard.press("Enter");
  await expect(packer.getByTestId("station-case-title")).toContainText(order);
  await expect(packer.getByTestId("station-lines").locator("tbody tr")).toHaveCount(2);
  // Nothing is assumed: no decision before every check is answered.
  await expect(packer.getByTestId("decision-accept_refund")).toBeDisabled();
  for (const check of ["tracking", "items", "packaging", "tags"]) {
    await packer.getByTestId(`check-${check}-yes`).tap();
  }
  await packer.getByTestId("condition-as_new").tap();
  await packer.getByTestId("decision-accept_refund").tap();
  // Accepted goods are labelled for stock: the shared rule says so before anything is queued.
  await expect(packer.getByTestId("station-error")).toHaveText("收货入库请填写供应商和款号");
  await packer.getByTestId("station-supplier").fill("杭州茶厂");
  await packer.getByTestId("station-style").fill(`TG-${run}`);
  // No decision without a photo: the same shared rule the server applies.
  await packer.getByTestId("decision-accept_refund").tap();
  await expect(packer.getByTestId("station-error")).toHaveText("请至少拍一张照片（包裹、商品或面单）再做决定");
  await packer
    .getByTestId("photo-input")
    .setInputFiles([await cameraShot(packer, "parcel.png"), await cameraShot(packer, "waybill.png", 1200, 2400)]);
  await expect(packer.getByTestId("photo-list").locator("img")).toHaveCount(2);
  await expect(packer.getByTestId("station-error")).toHaveCount(0);
  await expectAccessible(packer);
  // The packer's header is one line, at 1024 and at 768 px wide: the station's links, "More",
  // the sync state and the user (a 48-px touch row and its padding).
  const header = (await packer.locator("header.topbar").boundingBox())!;
  expect(header.height).toBeLessThan(64);
  await packer.evaluate(() => window.scrollTo(0, 0));
  await packer.screenshot({ path: `target/screenshots/station-${testInfo.project.name}.png`, fullPage: true });
  await packer.getByTestId("decision-accept_refund").tap();
  await expect(packer.getByTestId("station-done")).toContainText("收货并退款");
  await expect(packer.getByTestId("station-scan")).toBeFocused();
  await expect(waiting(packer)).toHaveAttribute("data-count", "1");

  await packer.reload();
  await expect(waiting(packer)).toHaveAttribute("data-count", "1");
  await packer.getByTestId("station-scan").fill(tracking);
  await packer.keyboard.press("Enter");
  await expect(packer.getByTestId("station-earlier")).toContainText("收货并退款");

  await station.setOffline(false);
  await expect(waiting(packer)).toHaveAttribute("data-count", "0", { timeout: 15_000 });
  const held = (await serverRecords(request)).find(
    (r) => r.record_type === "case" && r.fields.return_tracking?.current.value === tracking,
  );
  const inspection = held?.events.find((e) => e.kind === "inspection");
  expect(inspection?.by).toBe("packer");
  expect(inspection?.data).toMatchObject({ decision: "accept_refund", style_code: `TG-${run}`, items_match: true });
  const photos = (inspection?.data as { photos?: { hash: string; bytes: number }[] }).photos ?? [];
  expect(photos).toHaveLength(2);
  for (const photo of photos) {
    // Uploaded whole, and served to the agent's team through the case.
    expect(await servedPhoto(request, "demo", photo.hash, held!.id)).toEqual({ status: 200, bytes: photo.bytes });
    expect((await servedPhoto(request, "west", photo.hash, held!.id)).status).toBe(404);
  }

  await page.goto(caseUrl);
  await expect(page.getByTestId("inspection")).toHaveAttribute("data-decision", "accept_refund", { timeout: 15_000 });
  await expect(page.getByTestId("inspection-label")).toContainText(`TG-${run}`);
  // Both photos, fetched from the server, shrunk on the station to at most 1600 px.
  const shown = page.getByTestId("inspection").getByTestId("photo").locator("img");
  await expect(shown).toHaveCount(2, { timeout: 15_000 });
  const sizes = await shown.evaluateAll((images) =>
    (images as HTMLImageElement[]).map((image) => [image.naturalWidth, image.naturalHeight]),
  );
  expect(sizes.sort()).toEqual([
    [1600, 1200],
    [800, 1600],
  ]);
  // Accepted at the station: now the agent refunds, then closes the return.
  await expect(page.getByTestId("return-state")).toHaveAttribute("data-state", "accepted");
  await expectAccessible(page);
  await page.getByTestId("settle-value").fill("八十九");
  await page.getByTestId("return-settle").click();
  await expect(page.getByTestId("return-error")).toHaveText("请填写正确的金额，例如 89 或 89.50");
  await page.getByTestId("settle-value").fill("89");
  await page.getByTestId("return-settle").click();
  await expect(page.getByTestId("return-state")).toHaveAttribute("data-state", "settled");
  await page.getByTestId("return-close").click();
  await expect(page.getByTestId("return-state")).toHaveAttribute("data-state", "closed");
  await expect(page.getByTestId("return-step")).toHaveCount(3);
  await expect(page.getByTestId("callback-entry")).toHaveAttribute("data-open", "true");
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 15_000 });
  const closed = (await serverRecords(request)).find((r) => r.id === held!.id)!;
  const steps = closed.events.filter((e) => e.kind === "return_step").map((e) => ({ by: e.by, data: e.data }));
  expect(steps).toMatchObject([
    { by: "demo", data: { event: "approve", parcel_expected: true } },
    { by: "demo", data: { event: "settle", settlement: { kind: "refund", amount: 8900 } } },
    { by: "demo", data: { event: "close" } },
  ]);
  // Closing the finished after-sales case planned its satisfaction callback.
  expect(closed.events.filter((e) => e.kind === "callback_planned").map((e) => e.by)).toEqual(["demo"]);
  await station.close();
});

test("an unknown tracking number offline becomes an unmatched parcel, which an agent matches to a return", async ({
  page,
  browser,
  request,
}, testInfo) => {
  const run = `${testInfo.project.name}-${Date.now()}`;
  const tracking = `ZT${Date.now()}`;
  const order = `SO-${Date.now()}`;
  // A return the customer has not given a tracking number for.
  const caseId = randomUUID();
  const created = await pushAs(request, "demo", [
    change(caseId, {
      op: "create",
      fields: {
        kind: "return",
        title: `换货 · ${order}`,
        customer_name: `换货客户 ${run}`,
        customer_phone: "13800006666",
        order_number: order,
        status: "open",
        request_type: "exchange",
        return_reason: "wrong_item",
        items: [{ sku: "SCARF-RED", quantity: 1 }],
        item_class: "normal",
      },
    }),
  ]);
  expect(created[0].status).toBe("applied");

  const viewport = testInfo.project.name === "desktop" ? { width: 1024, height: 768 } : { width: 768, height: 1024 };
  const station = await browser.newContext({ viewport, hasTouch: true });
  const packer = await station.newPage();
  await signIn(packer, "packer");
  await goTo(packer, "station");
  await expect(packer.getByTestId("station-scan")).toBeFocused();
  await station.setOffline(true);
  await packer.keyboard.type(tracking);
  await packer.keyboard.press("Enter");
  await expect(packer.getByTestId("station-unknown")).toContainText(tracking);
  await packer.getByTestId("parcel-note").fill(`寄件人 ${run}，一条红围巾`);
  await packer.getByTestId("photo-input").setInputFiles(await cameraShot(packer, "scarf.png", 900, 700));
  await expect(packer.getByTestId("photo-list").locator("img")).toHaveCount(1);
  await expectAccessible(packer);
  await packer.getByTestId("record-parcel").tap();
  await expect(packer.getByTestId("station-done")).toContainText("未匹配包裹");
  await packer.reload();
  await expect(waiting(packer)).toHaveAttribute("data-count", "1");
  await station.setOffline(false);
  await expect(waiting(packer)).toHaveAttribute("data-count", "0", { timeout: 15_000 });

  await signIn(page);
  await goTo(page, "parcels");
  const row = page.getByTestId("parcel-row").filter({ hasText: tracking });
  await expect(row).toContainText(`寄件人 ${run}`);
  await expect(row).toContainText("packer");
  // The packer's photo, from the server, unshrunk (it was under 1600 px).
  await expect(row.getByTestId("photo").locator("img")).toHaveJSProperty("naturalWidth", 900, { timeout: 15_000 });
  await expectAccessible(page);
  await row.getByTestId("parcel-case-search").fill(order);
  await expect(row.getByTestId("parcel-offer")).toHaveCount(1);
  await row.getByTestId("parcel-match").click();
  // Matched: off the list, and the server holds the link and the return's tracking number.
  await expect(page.getByTestId("parcel-row").filter({ hasText: tracking })).toHaveCount(0);
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 15_000 });
  const records = await serverRecords(request);
  const parcel = records.find((r) => r.record_type === "parcel" && r.fields.tracking?.current.value === tracking);
  expect(parcel?.fields.case?.current.value).toBe(caseId);
  expect(parcel?.created?.by).toBe("packer");
  const matched = records.find((r) => r.id === caseId);
  expect(matched?.fields.return_tracking?.current.value).toBe(tracking);

  // The next scan of that parcel opens the return, once the station has synced the match.
  await packer.goto("/station");
  await expect(async () => {
    await packer.getByTestId("station-scan").fill(tracking);
    await packer.getByTestId("station-scan").press("Enter");
    await expect(packer.getByTestId("station-case-title")).toContainText(order, { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await station.close();
});

test("compensation above the tier waits for a supervisor, who approves it on the case", async ({
  page,
  browser,
  request,
}, testInfo) => {
  const note = `袖口开线 ${testInfo.project.name}-${Date.now()}`;
  await signIn(page);
  await page.getByTestId("case-search").fill("七天无理由退货");
  await page.getByTestId("case-row").filter({ hasText: "七天无理由退货" }).first().click();
  await page.getByTestId("compensation-price").fill("50");
  await page.getByTestId("compensation-amount").fill("20");
  await expect(page.getByTestId("compensation-advice")).toContainText("需主管审批");
  await page.getByTestId("compensation-note").fill(note);
  await page.getByTestId("propose-compensation").click();
  const entry = page.getByTestId("compensation-entry").filter({ hasText: note });
  await expect(entry).toHaveAttribute("data-state", "pending");
  // It says which policy's tiers it was proposed under.
  await expect(entry.getByTestId("compensation-policy")).toContainText("依据当前政策（版本 ");
  // The agent is offered no approval: the server would refuse it (rules.rs tests that).
  await expect(entry.getByTestId("approve-compensation")).toHaveCount(0);
  await expectAccessible(page);
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 15_000 });

  const other = await browser.newContext();
  const supervisor = await other.newPage();
  await signIn(supervisor, "supervisor");
  await supervisor.goto(page.url());
  const seen = supervisor.getByTestId("compensation-entry").filter({ hasText: note });
  await seen.getByTestId("approve-compensation").click();
  await expect(seen).toHaveAttribute("data-state", "approved");
  await expect(waiting(supervisor)).toHaveAttribute("data-count", "0", { timeout: 15_000 });
  const held = (await serverRecords(request)).find((r) => r.events.some((e) => e.kind === "compensation" && JSON.stringify(e.data).includes(note)));
  expect(held?.events.find((e) => e.kind === "compensation_decision")?.by).toBe("supervisor");
  const proposed = held!.events.find((e) => e.kind === "compensation" && JSON.stringify(e.data).includes(note))!;
  const policyRecord = (await serverRecords(request)).find((r) => r.record_type === "policy")!;
  expect((proposed.data as { policy?: string }).policy).toBe(policyRecord.fields.data.current.change);
  await page.reload();
  await expect(entry).toHaveAttribute("data-state", "approved", { timeout: 15_000 });

  // The week's after-sales summary counts it as paid, and downloads as CSV.
  await goTo(supervisor, "after-sales");
  // The summary is the whole team's: at least this test's ¥20 (the other project's run may add
  // its own meanwhile, so the figure and the CSV are read together, from one rendering).
  const csvLink = supervisor.getByTestId("summary-csv");
  await expect(csvLink).toHaveAttribute("download", /^after-sales-\d{4}-\d{2}-\d{2}\.csv$/);
  const [paidText, href] = await supervisor.evaluate(() => [
    document.querySelector("[data-testid=summary-paid]")?.textContent,
    document.querySelector("[data-testid=summary-csv]")?.getAttribute("href"),
  ]);
  const paid = Number(paidText?.replace(/[¥,]/g, ""));
  expect(paid).toBeGreaterThanOrEqual(20);
  await expect(supervisor.getByTestId("summary-returns")).not.toHaveText("0");
  const csv = decodeURIComponent(href!.replace("data:text/csv;charset=utf-8,", ""));
  expect(csv).toContain(`已付补偿（元）,${paid.toFixed(2)}`);
  await expectAccessible(supervisor);
  await other.close();
});
