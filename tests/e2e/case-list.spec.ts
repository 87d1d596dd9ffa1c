// A long case list: the total, only the cards on screen built (newest first), the rest built as
// the page scrolls to them, and search over all.
import { expect, test } from "./fixtures";
import { randomUUID } from "node:crypto";
import { change, expectAccessible, pushAs, signIn } from "./helpers";

test("a long list builds only the cards on screen, and the rest as it scrolls", async ({
  page,
  request,
}, testInfo) => {
  const run = `${testInfo.project.name}-${Date.now()}`;
  // 120 cases from another device, in batches a device would send.
  const creates = Array.from({ length: 120 }, (_, n) =>
    change(randomUUID(), {
      op: "create",
      fields: {
        kind: "inquiry",
        title: `批量案件 ${run} 第${n}号`,
        customer_name: "张伟",
        customer_phone: "13800009999",
        order_number: null,
        status: "open",
      },
    }),
  );
  for (let i = 0; i < creates.length; i += 50) {
    const outcomes = await pushAs(request, "demo", creates.slice(i, i + 50));
    expect(outcomes.every((o) => o.status === "applied")).toBe(true);
  }

  await signIn(page);
  const count = page.getByTestId("case-count");
  const rows = page.getByTestId("case-row");
  // Tests on other workers add cases meanwhile: the total and the text saying it are read
  // together (the 120 are this test's own, so the total is at least that).
  await expect(async () => {
    const [total, text] = await count.evaluate((element) => [element.getAttribute("data-total"), element.textContent]);
    expect(Number(total)).toBeGreaterThanOrEqual(120);
    expect(text).toContain(String(total));
  }).toPass({ timeout: 5_000 });
  // Only the cards on screen (and a few beyond) are built; the newest first.
  await expect(rows.first()).toBeVisible();
  const built = await rows.count();
  expect(built).toBeLessThan(60);
  await expect(count).toHaveAttribute("data-shown", String(built));
  await expectAccessible(page);

  // The batch alone: 120 matches, of which only those on screen are built.
  await page.getByTestId("case-search").fill(`批量案件 ${run}`);
  await expect(count).toHaveAttribute("data-total", "120");
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeLessThan(60);
  // The list keeps the height of every card, so the page scrolls as if all were there.
  const pageHeight = await page.evaluate(() => document.documentElement.scrollHeight);
  expect(pageHeight).toBeGreaterThan(120 * 60);
  // Scrolling down half a screen at a time brings every one of the 120 cards on screen, and
  // never more than a few dozen are built.
  const seen = new Set<number>();
  for (let step = 0; step < 80; step++) {
    const { numbers, atEnd } = await page.evaluate(async () => {
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      const numbers = [...document.querySelectorAll("[data-testid=case-row]")]
        .filter((row) => {
          const box = row.getBoundingClientRect();
          return box.bottom > 0 && box.top < window.innerHeight;
        })
        .map((row) => Number(/第(\d+)号/.exec(row.textContent ?? "")?.[1]));
      const atEnd = window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1;
      window.scrollBy(0, window.innerHeight / 2);
      return { numbers, atEnd };
    });
    expect(numbers.length).toBeGreaterThan(0);
    numbers.forEach((n) => seen.add(n));
    expect(await rows.count()).toBeLessThan(60);
    if (atEnd) break;
  }
  expect(seen.size).toBe(120);

  // Search looks at every case, not only the cards on screen.
  await page.getByTestId("case-search").fill(`${run} 第0号`);
  await expect(rows).toHaveCount(1);
  await expect(count).toHaveAttribute("data-total", "1");
});
