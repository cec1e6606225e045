/**
 * The certificates' font, prepared once per process so each certificate costs
 * only its own text.
 *
 * pdfkit embeds a subset of the font in every document (it has no way to
 * share a font between documents) and shapes every word through the font's
 * OpenType tables. With a CJK collection both are the bulk of a certificate's
 * time: the CFF subset of a 20 MB font, and GSUB lookups per word. This
 * module hands pdfkit the parsed font behind a thin layer that
 *
 * - keeps the shaping of each word (labels, month names, digits repeat from
 *   one certificate to the next), handing out a fresh copy each time because
 *   pdfkit scales the positions it gets in place;
 * - keeps the encoded subset per exact glyph sequence: the same glyphs in the
 *   same order give the same bytes, so the copy kept is the one pdfkit would
 *   have made. `primeAlphabet` makes that sequence the same for every
 *   certificate by placing every glyph a certificate can use first, in a fixed
 *   order, before the text is written.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';
import { CHANNEL_NAMES } from '../domain/channel-names.ts';
import { LANGUAGES, LOCALE_OF } from '../domain/languages.ts';
import { CERTIFICATE_TEXTS } from './texts.ts';

let configured: { readonly path: string; readonly family: string | undefined } | undefined;

/** The certificates' font as configured (SIMEXIT_CERT_FONT, SIMEXIT_CERT_FONT_FAMILY): the composition root sets it at start-up. */
export function useCertificateFont(font: { readonly path: string; readonly family: string | undefined }): void {
  configured = font;
  prepared = undefined;
}

/** The configured font, else Debian's Noto Sans CJK (fonts-noto-cjk): it has Cyrillic and Chinese glyphs. */
export function certificateFontFile(): { path: string; family?: string | undefined } | undefined {
  if (configured) return { path: configured.path, family: configured.family };
  const debian = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
  return existsSync(debian) ? { path: debian, family: 'NotoSansCJKsc-Regular' } : undefined;
}

/** Words shaped and kept; past this many the store starts again (dates and numbers vary without end). */
const MAX_WORDS = 20_000;
/** Encoded subsets kept: one per glyph sequence, and primed documents share one. */
const MAX_SUBSETS = 8;

interface Run {
  readonly glyphs: fontkit.Glyph[];
  readonly positions: fontkit.GlyphPosition[];
}

interface Subset {
  readonly glyphs: number[];
  includeGlyph(glyph: number | fontkit.Glyph): number;
  encode(): Uint8Array;
}

/** A run as pdfkit reads one: glyphs, positions of its own to scale, and their total advance. */
const copyOf = (run: Run) => ({
  glyphs: run.glyphs,
  positions: run.positions.map((p) => ({ ...p })),
  get advanceWidth() {
    let width = 0;
    for (const p of this.positions) width += p.xAdvance;
    return width;
  },
});

function sharingFont(parsed: fontkit.Font): fontkit.Font {
  const words = new Map<string, Run>();
  const subsets = new Map<string, Uint8Array>();
  const font = Object.create(parsed) as fontkit.Font;
  Object.defineProperties(font, {
    layout: {
      value(text: string, features?: unknown) {
        const key = features === undefined ? text : `${JSON.stringify(features)}\u0000${text}`;
        let run = words.get(key);
        if (!run) {
          const shaped = parsed.layout(text, features as string[] | undefined);
          run = { glyphs: shaped.glyphs, positions: shaped.positions.map((p) => ({ ...p })) };
          if (words.size >= MAX_WORDS) words.clear();
          words.set(key, run);
        }
        return copyOf(run);
      },
    },
    createSubset: {
      value() {
        const subset = parsed.createSubset() as unknown as Subset;
        const encode = subset.encode.bind(subset);
        subset.encode = () => {
          const key = subset.glyphs.join(',');
          let bytes = subsets.get(key);
          if (!bytes) {
            bytes = encode();
            if (subsets.size >= MAX_SUBSETS) subsets.delete(subsets.keys().next().value as string);
            subsets.set(key, bytes);
          }
          return bytes;
        };
        return subset;
      },
    },
  });
  return font;
}

/** Every character a certificate can print: its texts in every language, channel names, month names, ASCII. */
function certificateAlphabet(): string {
  const seen = new Set<string>();
  const add = (s: string) => {
    for (const c of s) if (c.trim()) seen.add(c);
  };
  for (let c = 0x21; c < 0x7f; c++) add(String.fromCharCode(c));
  for (const language of LANGUAGES) {
    add(Object.values(CERTIFICATE_TEXTS[language]).join(''));
    add(Object.values(CHANNEL_NAMES[language]).join(''));
    const format = new Intl.DateTimeFormat(LOCALE_OF[language], { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC', timeZoneName: 'short' });
    for (let month = 0; month < 12; month++) add(format.format(Date.UTC(2026, month, 28, 13, 45)));
    add(new Intl.NumberFormat(LOCALE_OF[language], { style: 'currency', currency: 'RUB', currencyDisplay: 'code' }).format(-1234567.89));
  }
  return [...seen].sort().join('');
}

let prepared: { font: fontkit.Font; alphabet: string } | null | undefined;

/**
 * The font to hand pdfkit, parsed once per process (a CJK collection takes
 * longer to parse than a certificate to write); null when none is installed.
 */
export function certificateFont(): { font: fontkit.Font; alphabet: string } | null {
  if (prepared === undefined) {
    const f = certificateFontFile();
    if (!f) prepared = null;
    else {
      const parsed = fontkit.create(readFileSync(f.path), f.family);
      // A collection without the named face gives no font: say so rather than print Cyrillic and Chinese in Helvetica.
      if (!parsed || !('layout' in parsed)) throw new Error(`certificate font ${f.path} has no face named ${f.family ?? '(none given: set SIMEXIT_CERT_FONT_FAMILY)'}`);
      prepared = { font: sharingFont(parsed), alphabet: certificateAlphabet() };
    }
  }
  return prepared;
}

/**
 * Places every glyph of the alphabet in the document's font subset, in one
 * fixed order, before anything is written: the subset of every certificate is
 * then the same, and its encoding is made once. Uses pdfkit's current font
 * (`_font`, which has no public accessor); without one it does nothing, and
 * certificates are only slower.
 */
export function primeAlphabet(doc: PDFKit.PDFDocument, alphabet: string): void {
  const current = (doc as unknown as { _font?: { encode?: (text: string) => unknown } })._font;
  if (typeof current?.encode === 'function') current.encode(alphabet);
}
