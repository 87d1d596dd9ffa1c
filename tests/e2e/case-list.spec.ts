// A long case list: the newest 100 cards with the total, more on request, and search over all.
import { expect, test } from "@playwright/test";
import { randomUUID } from "node:crypto";
import { change, expectAccessible, pushAs, signIn } from "./helpers";

test("a long list shows the newest cards and the total, and more on request", async ({
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
  await expect(rows).toHaveCount(100);
  const total = Number(await count.getAttribute("data-total"));
  expect(total).toBeGreaterThanOrEqual(120);
  await expect(count).toHaveAttribute("data-shown", "100");
  await expect(count).toContainText(String(total));
  await expectAccessible(page);

  await page.getByTestId("show-more").click();
  await expect(rows).toHaveCount(Math.min(200, total));
  if (total <= 200) await expect(page.getByTestId("show-more")).toHaveCount(0);

  // Search looks at every case, not only the cards on screen.
  await page.getByTestId("case-search").fill(`${run} 第0号`);
  await expect(rows).toHaveCount(1);
  await expect(count).toHaveAttribute("data-total", "1");
});
