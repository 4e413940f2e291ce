import { create } from 'qrcode';
import { escapeXml } from './html-escape';

export { escapeXml };

/**
 * A QR code as a self-contained SVG (one path, no scripts, no external references): shown in
 * the share view and embedded in the exported HTML card. Error correction M (15 %) is what
 * phone cameras read reliably off a projector.
 */
export function qrSvg(text: string, opts: { size?: number; label?: string } = {}): string {
  const { size, data } = create(text, { errorCorrectionLevel: 'M' }).modules;
  const quiet = 4;
  const dim = size + quiet * 2;
  let d = '';
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Runs of dark modules on a row become one rectangle: a far shorter path.
      if (!data[y * size + x]) continue;
      let run = 1;
      while (x + run < size && data[y * size + x + run]) run++;
      d += `M${x + quiet} ${y + quiet}h${run}v1h-${run}z`;
      x += run - 1;
    }
  }
  const px = opts.size ?? dim * 4;
  const title = opts.label ? `<title>${escapeXml(opts.label)}</title>` : '';
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${dim} ${dim}" width="${px}" height="${px}" shape-rendering="crispEdges" role="img">${title}<rect width="${dim}" height="${dim}" fill="#fff"/><path fill="#000" d="${d}"/></svg>`;
}

/** The module grid itself (true = dark), for tests that decode what the SVG draws. */
export function qrModules(text: string): { size: number; dark: (x: number, y: number) => boolean } {
  const { size, data } = create(text, { errorCorrectionLevel: 'M' }).modules;
  return { size, dark: (x, y) => !!data[y * size + x] };
}
