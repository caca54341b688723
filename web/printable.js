// What a page would act on rather than show: bidirectional controls reorder the text around
// them ("Trojan Source"), C0/C1 controls and unpaired surrogates show as nothing or as boxes.
// The API refuses them now, but events stored before it did may hold them, so every text
// the page shows passes here once rendered, as the CLI's output does (bin/cli/output.ts):
// each becomes a visible `\u202e`. Tab and newline stay.
const unprintable = new RegExp(
  [
    '[\\u0000-\\u0008\\u000B-\\u001F\\u007F-\\u009F\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]',
    '[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])',
    '(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]',
  ].join('|'),
  'g',
);

export const pageSafe = (text) => text.replace(unprintable, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const shownAttributes = ['title', 'aria-label', 'alt'];

/** Makes every text node and shown attribute below root printable, in place. */
export function neutralise(root) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
    const safe = pageSafe(node.nodeValue ?? '');
    if (safe !== node.nodeValue) node.nodeValue = safe;
  }
  for (const element of root.querySelectorAll(shownAttributes.map((a) => `[${a}]`).join(','))) {
    for (const name of shownAttributes) {
      const value = element.getAttribute(name);
      if (value !== null && pageSafe(value) !== value) element.setAttribute(name, pageSafe(value));
    }
  }
}
