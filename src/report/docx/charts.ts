/**
 * The report's SVG charts as PNG images for the Word document: the report HTML is loaded once on a
 * locked-down pool page (JS off, only data: URLs) and each chart is photographed at twice its size.
 */
import type { PdfPool } from '../pdf/pool.js';
import type { ChartImage } from './render.js';

export async function chartImages(pool: PdfPool, html: string): Promise<ChartImage[]> {
  return pool.run(async (page) => {
    await page.setViewport({ width: 1000, height: 1400, deviceScaleFactor: 2 });
    await page.setContent(html, { waitUntil: 'load' });
    const images: ChartImage[] = [];
    for (const svg of await page.$$('svg.chart')) {
      const box = await svg.boundingBox();
      if (!box) continue;
      const png = await svg.screenshot({ type: 'png', omitBackground: false });
      images.push({ png: new Uint8Array(png), width: Math.round(box.width), height: Math.round(box.height) });
    }
    return images;
  });
}
