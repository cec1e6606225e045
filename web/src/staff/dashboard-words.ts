/**
 * The dashboard's codes in words: channels, reasons, blockers, steps, job kinds, messages, and each audit entry
 * as a sentence. A code the page has no words for gets a general phrase, never the code itself.
 */
import type { Static } from '@sinclair/typebox';
import type { AuditRecentSchema } from '../../../src/channels/api/dashboard-schemas.ts';
import { dashEn } from './dashboard-texts.ts';
import type { Translate } from './formats.ts';
import type { StaffKey } from './texts.ts';

export type AuditLine = Static<typeof AuditRecentSchema>['entries'][number];

const isKey = (key: string): key is StaffKey & keyof typeof dashEn => key in dashEn;

/** The words for `prefix + code`, or for `fallback` when there are none. */
export function wordFor(t: Translate, prefix: string, code: string, fallback: StaffKey): string {
  const key = `${prefix}${code}`;
  return isKey(key) ? t(key) : t(fallback);
}

/** A message's template by its family (`termination.completed` → order update). */
export const messageWords = (t: Translate, template: string) => wordFor(t, 'dash.message.', template.split('.')[0] ?? '', 'dash.message.other');

const stateWords: Record<string, string> = { termination: 'dash.state.', line: 'dash.lineState.', number: 'dash.numberState.', sim: 'dash.simState.' };
const TRANSITION = { line: 'dash.audit.line.transition', number: 'dash.audit.number.transition', sim: 'dash.audit.sim.transition' } as const;

/** What an audit entry records, as a sentence in the reader's language. */
export function auditSentence(t: Translate, e: AuditLine): string {
  const subject = e.subject ?? '';
  const entity = wordFor(t, 'dash.entity.', e.entityType, 'dash.entity.other');
  if (e.action === 'transition') {
    const prefix = stateWords[e.entityType];
    if (!prefix) return t('dash.audit.changedState', { entity });
    const state = (s: string | null) => (s === null ? '' : wordFor(t, prefix, s, 'dash.stateOther'));
    if (e.entityType === 'termination') return e.fromState === null ? t('dash.audit.order.created', { subject, to: state(e.toState) }) : t('dash.audit.order.transition', { subject, from: state(e.fromState), to: state(e.toState) });
    return t(TRANSITION[e.entityType as keyof typeof TRANSITION] ?? 'dash.audit.changedState', { subject, entity, from: state(e.fromState), to: state(e.toState) });
  }
  const key = `dash.audit.a.${e.action}`;
  return isKey(key) ? t(key, { subject }) : t('dash.audit.other', { entity });
}

/** Who made the entry: a staff member by name, else the kind of actor. */
export const auditActor = (t: Translate, e: AuditLine): string => (e.actorKind === 'staff' ? (e.actorName ?? t('dash.who.staff')) : e.actorKind === 'customer' ? t('dash.who.customer') : t('dash.who.system'));
