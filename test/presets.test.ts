// The market presets (config/presets/, DESIGN §2): each loads, sets its market's quarantine, and names the
// documents its figures come from; a preset without them fails loading, naming the key and what was expected.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import type { AppError } from '../src/domain/errors.ts';
import { loadPolicy, presetFile, validatePolicy } from '../src/config/load-config.ts';

const markets = { russia: 180, france: 120, portugal: 180, usa: 90, australia: 183 } as const;

describe('market presets', () => {
  for (const [market, days] of Object.entries(markets)) {
    test(`the ${market} preset loads with its quarantine and its sources`, () => {
      const policy = loadPolicy(presetFile(market));
      assert.equal(policy.quarantine.days, days);
      assert.ok(policy.sources && policy.sources.length > 0);
      assert.ok(policy.sources.some((s) => s.covers.includes('quarantine.days')), 'a source covers the quarantine');
      assert.ok(policy.sources.every((s) => s.confidence === 'checked' || s.confidence === 'unconfirmed'));
    });
  }

  test('the quarantines stay within what each market allows', () => {
    const days = (m: string) => loadPolicy(presetFile(m)).quarantine.days;
    assert.ok(days('france') >= 45 && days('france') <= 120, 'ARCEP 2022-1583: 45 to 120 days');
    assert.ok(days('usa') >= 45 && days('usa') <= 90, '47 CFR 52.15(f)(1)(ii): 45 to 90 days for residential numbers');
  });

  test('a preset without its sources fails loading, naming the key and what was expected', () => {
    const data = parse(readFileSync(presetFile('france'), 'utf8')) as Record<string, unknown>;
    delete data.sources;
    assert.throws(
      () => validatePolicy(data, 'config/presets/france.yaml', {}, { preset: true }),
      (e: AppError) => e.code === 'CONFIG_INVALID' && /sources: a preset must name the documents its figures come from.*\(found nothing\)/.test(String(e.details.reason)),
    );
    // The same file as an operator's own (not a preset) may leave them out.
    assert.equal(validatePolicy(data, 'operator.yaml').quarantine.days, 120);
  });

  test('a source must say which figures it covers and how sure it is', () => {
    const data = parse(readFileSync(presetFile('usa'), 'utf8')) as Record<string, unknown>;
    data.sources = [{ document: '47 CFR 52.15' }];
    assert.throws(
      () => validatePolicy(data, 'config/presets/usa.yaml', {}, { preset: true }),
      (e: AppError) => /sources\.0\.covers: Expected required property/.test(String(e.details.reason)) && /sources\.0\.confidence/.test(String(e.details.reason)),
    );
  });

  test('a preset whose sources leave the quarantine out is refused', () => {
    const data = parse(readFileSync(presetFile('usa'), 'utf8')) as Record<string, unknown>;
    data.sources = [{ covers: ['refund'], document: 'a contract template', confidence: 'unconfirmed' }];
    assert.throws(() => validatePolicy(data, 'config/presets/usa.yaml', {}, { preset: true }), (e: AppError) => /sources: one source must cover quarantine\.days/.test(String(e.details.reason)));
  });
});
