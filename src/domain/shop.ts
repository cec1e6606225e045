/**
 * The shop's records as the application sees them (issue 14): shops, counters, service types and the queue
 * ticket with what the counter recorded of the visit. The queue's rules are in shop-queue.ts.
 */
import type { Language } from './languages.ts';
import type { Ticket, WeeklyHours } from './shop-queue.ts';
import type { Instant } from './time.ts';

export interface Shop {
  readonly id: string;
  readonly name: string;
  /** IANA zone: the shop's hours, ticket days and service hours are local to it. */
  readonly timeZone: string;
  readonly languages: readonly Language[];
  readonly weeklyHours: WeeklyHours;
}

/** A counter ("window"): the services it offers and the languages its agent speaks. */
export interface ShopCounter {
  readonly id: string;
  readonly shopId: string;
  readonly label: string;
  readonly services: readonly string[];
  readonly languages: readonly Language[];
  /** The agent who last called a ticket to it (null: nobody yet). */
  readonly agentId: string | null;
}

export interface ShopService {
  readonly id: string;
  readonly shopId: string;
  /** The ticket letter: `C` in `C-042`. */
  readonly letter: string;
  readonly names: Readonly<Record<Language, string>>;
}

export const SIM_OUTCOMES = ['handed_in', 'kept_by_subscriber', 'destroyed'] as const;
export type SimOutcome = (typeof SIM_OUTCOMES)[number];

export const SHOP_CHECKLIST_ITEMS = ['pinRemoved', 'dataExported', 'loginsMoved'] as const;
export type ShopChecklist = Readonly<Record<(typeof SHOP_CHECKLIST_ITEMS)[number], boolean>>;
export const EMPTY_SHOP_CHECKLIST: ShopChecklist = { pinRemoved: false, dataExported: false, loginsMoved: false };

/** What the counter has done for the ticket's holder, beside the queue's own fields. */
export interface ShopTicket extends Ticket {
  readonly shopId: string;
  readonly localDay: string;
  readonly language: Language;
  readonly remote: boolean;
  readonly agentId: string | null;
  readonly customerId: string | null;
  /** The number a remote ticket's SMS goes to. */
  readonly phone: string | null;
  readonly documentCheckedAt: Instant | null;
  readonly lineId: string | null;
  readonly simOutcome: SimOutcome | null;
  readonly checklist: ShopChecklist;
  readonly terminationRef: string | null;
}

export const checklistComplete = (c: ShopChecklist): boolean => SHOP_CHECKLIST_ITEMS.every((item) => c[item]);
