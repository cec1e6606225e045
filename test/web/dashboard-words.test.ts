// The dashboard words every audit entry the code writes: each action recorded somewhere in src/ has a sentence in
// each language (a new action without one would show as "a change was recorded", which says little).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { auditSentence } from '../../web/src/staff/dashboard-words.ts';
import { STAFF_TEXTS, staffText } from '../../web/src/staff/texts.ts';

const src = new URL('../../src/', import.meta.url).pathname;
const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : []));

/** Actions written literally (`action: 'x'`), and the shop queue's moves, which the console records as `ticket_<move>`. */
function recordedActions(): Set<string> {
  const found = new Set<string>();
  for (const file of files(src)) {
    if (file.includes('/channels/')) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/action: '([a-z_]+)'/g)) found.add(m[1] as string);
  }
  found.delete('transition');
  // The counter's button, recorded as the queue's `start` move (src/app/shop-console.ts).
  found.delete('serve');
  return found;
}

test('every action the code records in the audit log reads as a sentence of its own in ru, en and zh', () => {
  const actions = recordedActions();
  assert.ok(actions.size > 20, `found ${actions.size} actions`);
  const missing = [...actions].filter((a) => !(`dash.audit.a.${a}` in STAFF_TEXTS.en) && !(`dash.audit.a.ticket_${a}` in STAFF_TEXTS.en));
  assert.deepEqual(missing, []);
});

test('an entry reads with its order, states and no codes; an unknown one still reads as words', () => {
  for (const language of ['ru', 'en', 'zh'] as const) {
    const t = (key: Parameters<typeof staffText>[1], values?: Record<string, string>) => staffText(language, key, values);
    const base = { seq: 7, at: '2026-11-21T10:00:00.000Z', actorKind: 'system', actorName: null, subject: 'TRM-7KQ2-9XW4' };
    const moved = auditSentence(t, { ...base, entityType: 'termination', action: 'transition', fromState: 'executing', toState: 'needs_attention' });
    assert.ok(moved.includes('TRM-7KQ2-9XW4') && moved.includes(t('dash.state.needs_attention')), moved);
    const unknown = auditSentence(t, { ...base, entityType: 'api_key', action: 'key_created', fromState: null, toState: null });
    assert.doesNotMatch(`${moved} ${unknown}`, /needs_attention|executing|key_created|api_key/);
  }
});
