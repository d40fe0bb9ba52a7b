import type { Page } from "playwright-core";

/**
 * The fraction of a PNG's pixels with some channel below `below` (0–255), decoded by the page's own
 * <img> and canvas: how much of a screenshot is not blank.
 */
export function colouredFraction(page: Page, png: Buffer, below: number): Promise<number> {
  return page.evaluate<number>(`(async () => {
    const img = new Image();
    img.src = "data:image/png;base64,${png.toString("base64")}";
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext("2d");
    ctx.drawImage(img, 0, 0);
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let coloured = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] < ${below} || data[i + 1] < ${below} || data[i + 2] < ${below}) coloured++;
    return coloured / (data.length / 4);
  })()`);
}
