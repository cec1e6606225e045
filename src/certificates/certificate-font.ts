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
 *   have made. `primeSubset` makes that sequence the same for every
 *   certificate by placing every glyph certificates have used so far first,
 *   in the order they were first seen, before the text is written: after a
 *   few certificates no new glyph appears and every subset is the same.
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

/**
 * Words made only of digits, the signs numbers are written with and capital
 * Latin letters: amounts with their currency code, times, phone numbers,
 * references. They differ on every certificate.
 */
const NUMERIC = /^[0-9A-Z+\-.,:/ \u00a0\u202f]+$/;

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

/** Words whose glyphs pdfkit has not been given before, in the order seen: what primes the next subset. */
const MAX_PRIMER_WORDS = 4_000;

function sharingFont(parsed: fontkit.Font, primer: string[]): fontkit.Font {
  const words = new Map<string, Run>();
  const known = new Set<number>();
  const subsets = new Map<string, Uint8Array>();
  const shape = (text: string, features?: unknown): Run => {
    const shaped = parsed.layout(text, features as string[] | undefined);
    return { glyphs: shaped.glyphs, positions: shaped.positions.map((p) => ({ ...p })) };
  };
  // Such words are put together from kept characters rather than shaped through the font's tables each time (the
  // bulk of a certificate's time). They have no ligatures; what is lost is the kerning between two capitals of a
  // reference or currency code, a fraction of a point.
  const numeric = (text: string): Run => {
    const glyphs: fontkit.Glyph[] = [];
    const positions: fontkit.GlyphPosition[] = [];
    for (const c of text) {
      let one = words.get(c);
      if (!one) words.set(c, (one = shape(c)));
      glyphs.push(...one.glyphs);
      positions.push(...one.positions.map((p) => ({ ...p })));
    }
    return { glyphs, positions };
  };
  const font = Object.create(parsed) as fontkit.Font;
  Object.defineProperties(font, {
    layout: {
      value(text: string, features?: unknown) {
        const key = features === undefined ? text : `${JSON.stringify(features)}\u0000${text}`;
        let run = words.get(key);
        if (!run) {
          run = features === undefined && NUMERIC.test(text) && text.length > 1 ? numeric(text) : shape(text, features);
          if (words.size >= MAX_WORDS) words.clear();
          words.set(key, run);
          // A word with a glyph no earlier word had joins the primer, so the next subset starts with it too.
          if (features === undefined && primer.length < MAX_PRIMER_WORDS && run.glyphs.some((g) => !known.has(g.id))) {
            for (const g of run.glyphs) known.add(g.id);
            primer.push(text);
          }
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

/** Every character a certificate is likely to print, one word each: its texts, channel names, month names, ASCII. */
function certificateAlphabet(): string[] {
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
  return [...seen].sort().map((c) => `${c} `);
}

let prepared: { font: fontkit.Font; primer: readonly string[] } | null | undefined;

/**
 * The font to hand pdfkit, parsed once per process (a CJK collection takes
 * longer to parse than a certificate to write); null when none is installed.
 */
export function certificateFont(): { font: fontkit.Font; primer: readonly string[] } | null {
  if (prepared === undefined) {
    const f = certificateFontFile();
    if (!f) prepared = null;
    else {
      const parsed = fontkit.create(readFileSync(f.path), f.family);
      // A collection without the named face gives no font: say so rather than print Cyrillic and Chinese in Helvetica.
      if (!parsed || !('layout' in parsed)) throw new Error(`certificate font ${f.path} has no face named ${f.family ?? '(none given: set SIMEXIT_CERT_FONT_FAMILY)'}`);
      const primer: string[] = [];
      prepared = { font: sharingFont(parsed, primer), primer };
      // Shaped now, the likely characters become the primer's first words.
      for (const word of certificateAlphabet()) prepared.font.layout(word);
    }
  }
  return prepared;
}

/**
 * Places every glyph certificates have used so far in the document's font
 * subset, in the order first seen, before anything is written: the subset of
 * every certificate is then the same, and its encoding is made once. Uses
 * pdfkit's current font (`_font`, which has no public accessor); without one
 * it does nothing, and certificates are only slower.
 */
export function primeSubset(doc: PDFKit.PDFDocument, primer: readonly string[]): void {
  const current = (doc as unknown as { _font?: { encode?: (text: string) => unknown } })._font;
  if (typeof current?.encode !== 'function') return;
  // A copy: encoding a word may shape it and add to the primer.
  for (const word of [...primer]) current.encode(word);
}
