// The built site has three entry points, the subscriber site (/), the staff pages (/staff/) and the shop's public
// screens (/shop/: kiosk and lobby board), and none loads another's code: checked on the build output (web/dist
// and its manifest), the files a browser actually gets.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, test } from 'node:test';
import { en } from '../../web/src/i18n/en.ts';
import { ru } from '../../web/src/i18n/ru.ts';
import { zh } from '../../web/src/i18n/zh.ts';
import { SHOP_TEXTS } from '../../web/src/shop/texts.ts';
import { STAFF_TEXTS } from '../../web/src/staff/texts.ts';

const dist = new URL('../../web/dist/', import.meta.url);
const manifestFile = new URL('.vite/manifest.json', dist);

interface Chunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

/**
 * Every file an entry makes the browser load: its own, what it imports (statically or not), and their CSS. With
 * `firstLoad`, only what the page loads before any code asks for more (static imports): its first load.
 */
function filesOf(manifest: Record<string, Chunk>, entry: string, options: { firstLoad?: boolean } = {}): string[] {
  const seen = new Set<string>();
  const files = new Set<string>();
  const walk = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    assert.ok(chunk, `the manifest has no ${key}`);
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const next of [...(chunk.imports ?? []), ...(options.firstLoad ? [] : (chunk.dynamicImports ?? []))]) walk(next);
  };
  walk(entry);
  return [...files];
}

/** Texts long and particular enough that finding one in a file means the module holding it was bundled there. */
const markers = (dictionaries: readonly Record<string, string>[]): string[] => [...new Set(dictionaries.flatMap((d) => Object.values(d)).filter((text) => text.length >= 24))];
const holds = (code: string, text: string) => code.includes(text) || code.includes(JSON.stringify(text).slice(1, -1));

describe('the built site', { skip: existsSync(manifestFile) ? false : 'needs a built site (npm run build)' }, () => {
  const manifest = existsSync(manifestFile) ? (JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, Chunk>) : {};
  const read = (files: readonly string[]) => files.map((f) => readFileSync(new URL(f, dist), 'utf8')).join('\n');

  test('has three entry points: the subscriber site, the staff pages and the shop screens, each page loading its own', () => {
    const entries = Object.entries(manifest).filter(([, c]) => c.isEntry).map(([k]) => k).sort();
    assert.deepEqual(entries, ['index.html', 'shop/index.html', 'staff/index.html']);
    const siteEntry = manifest['index.html']?.file ?? '';
    const staffEntry = manifest['staff/index.html']?.file ?? '';
    const sitePage = readFileSync(new URL('index.html', dist), 'utf8');
    const staffPage = readFileSync(new URL('staff/index.html', dist), 'utf8');
    assert.ok(sitePage.includes(siteEntry) && !sitePage.includes(staffEntry), 'the site page loads the site entry only');
    assert.ok(staffPage.includes(staffEntry) && !staffPage.includes(siteEntry), 'the staff page loads the staff entry only');
    const shopEntry = manifest['shop/index.html']?.file ?? '';
    const shopPage = readFileSync(new URL('shop/index.html', dist), 'utf8');
    assert.ok(shopPage.includes(shopEntry) && !shopPage.includes(siteEntry) && !shopPage.includes(staffEntry), 'the shop page loads the shop entry only');
    assert.ok(!sitePage.includes(shopEntry) && !staffPage.includes(shopEntry), 'neither the site nor the staff page loads the shop entry');
  });

  test('the shop screens hold neither the subscriber pages nor the staff pages, and neither holds the shop screens', () => {
    const shopFiles = filesOf(manifest, 'shop/index.html');
    for (const other of ['index.html', 'staff/index.html']) {
      assert.ok(!shopFiles.includes(manifest[other]?.file ?? ''), `the shop screens do not load ${other}'s entry`);
      assert.ok(!filesOf(manifest, other).includes(manifest['shop/index.html']?.file ?? ''), `${other} does not load the shop entry`);
    }
    const shopCode = read(shopFiles);
    const shopTexts = markers(Object.values(SHOP_TEXTS));
    const otherTexts = [...markers([en, ru, zh]), ...markers(Object.values(STAFF_TEXTS))];
    assert.ok(shopTexts.length > 5 && shopTexts.every((text) => holds(shopCode, text)), 'the shop screens are in the shop bundle');
    assert.deepEqual(otherTexts.filter((text) => !shopTexts.includes(text) && holds(shopCode, text)), [], 'subscriber or staff pages in the shop bundle');
    const elsewhere = read([...new Set([...filesOf(manifest, 'index.html'), ...filesOf(manifest, 'staff/index.html')])]);
    assert.deepEqual(shopTexts.filter((text) => !otherTexts.includes(text) && holds(elsewhere, text)), [], 'shop screens in the site or staff bundles');
  });

  test('the staff bundle holds none of the subscriber pages, and the subscriber bundle none of the staff pages', () => {
    const siteFiles = filesOf(manifest, 'index.html');
    const staffFiles = filesOf(manifest, 'staff/index.html');
    assert.ok(!staffFiles.includes(manifest['index.html']?.file ?? ''), 'the staff pages do not load the site entry');
    assert.ok(!siteFiles.includes(manifest['staff/index.html']?.file ?? ''), 'the site does not load the staff entry');
    const siteCode = read(siteFiles);
    const staffCode = read(staffFiles);
    const subscriberTexts = markers([en, ru, zh]);
    const staffTexts = markers(Object.values(STAFF_TEXTS));
    // The markers do find what they look for: the check below is not vacuous.
    assert.ok(subscriberTexts.filter((text) => holds(siteCode, text)).length > subscriberTexts.length * 0.9, 'the subscriber pages are in the site bundle');
    assert.ok(staffTexts.every((text) => holds(staffCode, text)), 'the staff pages are in the staff bundle');
    const leakedIntoStaff = subscriberTexts.filter((text) => !staffTexts.includes(text) && holds(staffCode, text));
    const leakedIntoSite = staffTexts.filter((text) => !subscriberTexts.includes(text) && holds(siteCode, text));
    assert.deepEqual(leakedIntoStaff, [], 'subscriber pages in the staff bundle');
    assert.deepEqual(leakedIntoSite, [], 'staff pages in the subscriber bundle');
  });

  // Strings of uPlot's own (the class names it gives its elements), so finding one means the chart library is there.
  const CHART_LIBRARY = ['u-cursor-pt', 'u-over'];
  const hasChartLibrary = (code: string) => CHART_LIBRARY.some((marker) => code.includes(marker));
  const gzipped = (files: readonly string[]) => files.reduce((sum, f) => sum + gzipSync(readFileSync(new URL(f, dist))).length, 0);

  test("the subscriber site's first load stays within 150 KB gzipped and carries no chart library", () => {
    const firstLoad = [...filesOf(manifest, 'index.html', { firstLoad: true }), 'index.html'];
    const size = gzipped(firstLoad);
    assert.ok(size <= 150 * 1024, `the site's first load is ${Math.round(size / 1024)} KB gzipped (${firstLoad.join(', ')})`);
    assert.ok(!hasChartLibrary(read(filesOf(manifest, 'index.html'))), 'the chart library is in a file the subscriber site loads');
    assert.ok(!hasChartLibrary(read(filesOf(manifest, 'shop/index.html'))), 'the chart library is in a file the shop screens load');
  });

  test('the staff pages load the chart library only when the dashboard asks for it', () => {
    const staffFirst = filesOf(manifest, 'staff/index.html', { firstLoad: true });
    const staffAll = filesOf(manifest, 'staff/index.html');
    assert.ok(!hasChartLibrary(read(staffFirst)), 'the chart library is in the staff pages’ first load');
    const lazy = staffAll.filter((f) => !staffFirst.includes(f));
    assert.ok(hasChartLibrary(read(lazy)), 'the chart library is in a file the staff pages load on demand');
  });
});
