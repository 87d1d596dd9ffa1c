// Scanning a waybill with the tablet's camera at the packing station. The test machine's
// Chromium has neither a camera nor a barcode detector (only Android, ChromeOS and macOS
// browsers ship one), so both are stood in for in the page: a canvas stream as the camera, and
// a detector that reads nothing for a few frames, then the demo return's waybill. What is
// tested is the station's side: the button only where a detector exists, the camera opened,
// the picture read until a code appears, the return opened, and the camera released.
import { expect, test } from "./fixtures";
import { goTo, signIn, expectAccessible } from "./helpers";

test("the camera reads a waybill and opens its return, then lets the camera go", async ({ page }) => {
  await page.addInitScript(() => {
    const calls = { detect: 0 };
    (window as unknown as { scanCalls: typeof calls }).scanCalls = calls;
    (window as unknown as { BarcodeDetector: unknown }).BarcodeDetector = class {
      async detect() {
        calls.detect += 1;
        return calls.detect < 3 ? [] : [{ rawValue: "SF 1234567890", format: "code_128" }];
      }
    };
    navigator.mediaDevices.getUserMedia = async () => {
      const canvas = document.createElement("canvas");
      canvas.width = 320;
      canvas.height = 240;
      canvas.getContext("2d")!.fillRect(0, 0, 320, 240);
      return canvas.captureStream(10);
    };
  });
  await signIn(page, "packer");
  // The demo return has reached the device (other tests add many cases: search for it).
  await goTo(page, "cases");
  await page.getByTestId("case-search").fill("七天无理由退货");
  await expect(page.getByTestId("case-row").filter({ hasText: "七天无理由退货" })).toHaveCount(1, { timeout: 15_000 });
  await goTo(page, "station");
  await page.getByTestId("scan-camera").click();
  await expect(page.getByTestId("station-case-title")).toContainText("七天无理由退货");
  expect(await page.evaluate(() => (window as unknown as { scanCalls: { detect: number } }).scanCalls.detect)).toBe(3);
  // Found: the camera is stopped and the button is back for the next parcel.
  const released = await page.getByTestId("camera-view").evaluate((video) =>
    ((video as HTMLVideoElement).srcObject as MediaStream).getTracks().every((track) => track.readyState === "ended"),
  );
  expect(released).toBe(true);
  await expect(page.getByTestId("scan-camera")).toBeVisible();
  await expectAccessible(page);
});

test("a browser without a barcode detector offers no camera button", async ({ page }) => {
  await page.addInitScript(() => {
    delete (window as unknown as { BarcodeDetector?: unknown }).BarcodeDetector;
  });
  await signIn(page, "packer");
  await goTo(page, "station");
  await expect(page.getByTestId("station-scan")).toBeFocused();
  await expect(page.getByTestId("scan-camera")).toHaveCount(0);
});
