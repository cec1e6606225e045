/**
 * The shop's records as the application sees them (issue 14): shops, counters, service types and the queue
 * ticket with what the counter recorded of the visit. The queue's rules are in shop-queue.ts.
 */
import type { Language } from './languages.ts';
import type { Ticket, WeeklyHours } from './shop-queue.ts';
import type { Instant } from './time.ts';

/** Words per language; a language left out falls back to the shop's `name`. */
export type PerLanguage = Readonly<Partial<Record<Language, string>>>;

export interface Shop {
  readonly id: string;
  /** The name in the shop's first language: what a reader that knows no language is shown. */
  readonly name: string;
  readonly names: PerLanguage;
  /** The street address, per language (empty: none given). */
  readonly address: PerLanguage;
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
  /** Taken out of service by an administrator: nothing is called or sent to it. */
  readonly outOfService: boolean;
}

export interface ShopService {
  readonly id: string;
  readonly shopId: string;
  /** The ticket letter: `C` in `C-042`. */
  readonly letter: string;
  readonly names: Readonly<Record<Language, string>>;
}

/** The shop's name for a reader of `language`: theirs if the administrator gave it, else the default name. */
export const shopNameIn = (shop: Pick<Shop, 'name' | 'names'>, language: Language): string => shop.names[language] || shop.name;

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
