// A QR code drawn here as SVG (qrcode-generator, vendored and pinned by scripts/vendor-web.sh):
// the text (a join link, an otpauth:// URI with a TOTP secret) never leaves the browser.
import qrcode from '../vendor/qrcode-generator-2.0.4.mjs';

const SVG = 'http://www.w3.org/2000/svg';

/** An <svg role="img"> of text as a QR code (error correction M), labelled with label. */
export function qrSvg(text, label) {
  const code = qrcode(0, 'M');
  code.addData(text, 'Byte');
  code.make();
  const n = code.getModuleCount();
  const quiet = 4;
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${n + 2 * quiet} ${n + 2 * quiet}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('class', 'qr');
  svg.setAttribute('shape-rendering', 'crispEdges');
  const bg = document.createElementNS(SVG, 'rect');
  for (const [k, v] of Object.entries({ width: n + 2 * quiet, height: n + 2 * quiet, fill: '#ffffff' })) bg.setAttribute(k, v);
  svg.append(bg);
  let d = '';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) if (code.isDark(r, c)) d += `M${c + quiet} ${r + quiet}h1v1h-1z`;
  }
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', '#000000');
  svg.append(path);
  svg.dataset.modules = String(n);
  return svg;
}
