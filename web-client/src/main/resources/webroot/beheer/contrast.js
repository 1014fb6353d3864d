// WCAG 2.1 contrast (success criterion 1.4.3): the members' page shows white text on a community's
// colour, so a colour is accepted only when white on it reaches 4.5:1.

function channel(v) {
  const c = v / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** Relative luminance of "#rrggbb". */
export function luminance(hex) {
  const n = parseInt(hex.slice(1), 16);
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

/** The contrast ratio of two "#rrggbb" colours, 1 to 21. */
export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

export const MINIMUM = 4.5;
export const isColour = (s) => /^#[0-9a-f]{6}$/.test(s);
