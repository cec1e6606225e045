/** The shop's schemas: admin set-up, kiosk, board and counter console (the shop pages import their types from here). */
import { Type as T } from '@sinclair/typebox';
import { LANGUAGES } from '../../domain/languages.ts';
import { SHOP_CHECKLIST_ITEMS, SIM_OUTCOMES } from '../../domain/shop.ts';
import { TICKET_PRIORITIES, TICKET_STATES, type WEEKDAYS } from '../../domain/shop-queue.ts';
import { OrNull, StringEnum } from './schemas.ts';

const strict = { additionalProperties: false } as const;
const Instant = T.String({ format: 'date-time' });
const Id = T.String({ minLength: 1, maxLength: 64 });
export const Language = StringEnum(LANGUAGES);
export const ShopParams = T.Object({ shopId: Id }, strict);
export const TicketParams = T.Object({ id: Id }, strict);
export const ShopItemParams = T.Object({ shopId: Id, id: Id }, strict);

const Interval = T.Object({ open: T.String({ pattern: '^\\d{2}:\\d{2}$' }), close: T.String({ pattern: '^\\d{2}:\\d{2}$' }) }, strict);
const Day = T.Optional(T.Array(Interval, { maxItems: 4 }));
export const WeeklyHoursSchema = T.Object({ sun: Day, mon: Day, tue: Day, wed: Day, thu: Day, fri: Day, sat: Day } satisfies Record<(typeof WEEKDAYS)[number], typeof Day>, {
  ...strict,
  description: 'Local wall-clock intervals per weekday (sun … sat), HH:MM, close after open, no overlaps; a missing day is closed',
});
export const Names = T.Object({ ru: T.String({ minLength: 1, maxLength: 80 }), en: T.String({ minLength: 1, maxLength: 80 }), zh: T.String({ minLength: 1, maxLength: 80 }) }, strict);

const perLanguage = (maxLength: number, description: string) =>
  T.Object({ ru: T.Optional(T.String({ maxLength })), en: T.Optional(T.String({ maxLength })), zh: T.Optional(T.String({ maxLength })) }, { ...strict, description });
export const ShopNames = perLanguage(80, "The shop's name per language; a language left out shows `name`");
const ShopAddress = perLanguage(200, "The shop's street address per language");
// Languages arrive as strings so that one outside ours is refused with its own code (LANGUAGE_NOT_SUPPORTED).
const LanguageList = T.Array(T.String({ minLength: 1, maxLength: 16 }), { minItems: 1, maxItems: 3, uniqueItems: true, description: 'ru, en or zh' });

export const ShopSchema = T.Object({
  id: T.String(),
  name: T.String({ description: "The name in the shop's first language" }),
  names: ShopNames,
  address: ShopAddress,
  timeZone: T.String(),
  languages: T.Array(Language),
  weeklyHours: WeeklyHoursSchema,
});
export const ShopBody = T.Object(
  {
    name: T.Optional(T.String({ minLength: 1, maxLength: 80, description: 'Stands for each language `names` leaves out' })),
    names: T.Optional(ShopNames),
    address: T.Optional(ShopAddress),
    timeZone: T.String({ minLength: 1, maxLength: 64, description: 'An IANA zone, e.g. Europe/Moscow' }),
    languages: LanguageList,
    weeklyHours: WeeklyHoursSchema,
  },
  { ...strict, description: 'A name in each language the shop speaks, from `names` or `name`' },
);
export const CounterSchema = T.Object({ id: T.String(), shopId: T.String(), label: T.String(), services: T.Array(T.String()), languages: T.Array(Language), agentId: OrNull(T.String()), outOfService: T.Boolean() });
export const CounterBody = T.Object(
  {
    label: T.String({ minLength: 1, maxLength: 16 }),
    services: T.Array(Id, { maxItems: 26, uniqueItems: true }),
    languages: LanguageList,
    outOfService: T.Optional(T.Boolean({ description: 'Nothing is called or sent to a counter out of service; left out: as it was' })),
  },
  strict,
);
export const StaffMemberSchema = T.Object({ id: T.String(), login: T.String(), name: T.String(), role: T.String(), shopId: OrNull(T.String()), disabled: T.Boolean({ description: 'disabled by an administrator: signs in no more' }) });
export const StaffParams = T.Object({ staffId: Id }, strict);
export const StaffShopBody = T.Object({ shopId: OrNull(Id) }, { ...strict, description: 'The shop the shop agent works in; null: none' });
export const ServiceSchema = T.Object({ id: T.String(), shopId: T.String(), letter: T.String(), names: Names });
export const ServiceBody = T.Object({ letter: T.String({ pattern: '^[A-Z]$' }), names: Names }, strict);
export const ShopSetupSchema = T.Object({ shop: ShopSchema, counters: T.Array(CounterSchema), services: T.Array(ServiceSchema) });

export const KioskSchema = T.Object({
  shop: T.Object({ id: T.String(), name: T.String(), names: ShopNames, address: ShopAddress, languages: T.Array(Language), timeZone: T.String({ description: "The shop's IANA time zone: the kiosk shows its times (the ticket's, the next opening) in it, not in its own clock's" }) }),
  open: T.Boolean({ description: "Whether the shop is open now, by its weekly hours in its own time zone" }),
  nextOpening: OrNull(Instant),
  services: T.Array(T.Object({ id: T.String(), letter: T.String(), names: Names, waiting: T.Integer(), estimatedWaitMinutes: OrNull(T.Integer()) })),
});
// No phone here: an anonymous caller could make us text any number and use up its owner's remote-ticket limit.
export const TicketBody = T.Object(
  {
    serviceId: Id,
    language: Language,
    priority: T.Optional(StringEnum(TICKET_PRIORITIES)),
  },
  strict,
);
export const CheckInBody = T.Object(
  {
    number: T.String({ pattern: '^[A-Z]-\\d{3}$', description: 'The ticket number from the SMS or the site: C-042' }),
    phoneLast4: T.String({ pattern: '^\\d{4}$', description: 'The last four digits of the phone number the ticket was taken for' }),
  },
  strict,
);
export const IssuedTicketSchema = T.Object({
  id: T.String(),
  shopId: T.String(),
  shopName: T.String(),
  number: T.String({ description: 'As printed and shown on the board: C-042' }),
  serviceId: T.String(),
  serviceNames: Names,
  language: Language,
  priority: StringEnum(TICKET_PRIORITIES),
  remote: T.Boolean(),
  issuedAt: Instant,
  ahead: T.Integer(),
  estimatedWaitMinutes: OrNull(T.Integer({ description: 'null when no counter offers the service' })),
});

export const ChecklistSchema = T.Object(Object.fromEntries(SHOP_CHECKLIST_ITEMS.map((i) => [i, T.Boolean()])) as Record<(typeof SHOP_CHECKLIST_ITEMS)[number], ReturnType<typeof T.Boolean>>, {
  ...strict,
  description: 'PIN removed from the SIM, data exported, logins (banks, messengers) moved off the number',
});
export const ConsoleTicketSchema = T.Object({
  id: T.String(),
  number: T.String(),
  serviceId: T.String(),
  language: Language,
  priority: StringEnum(TICKET_PRIORITIES),
  remote: T.Boolean(),
  arrived: T.Boolean(),
  state: StringEnum(TICKET_STATES),
  counterId: OrNull(T.String()),
  issuedAt: Instant,
  calledAt: OrNull(Instant),
  recalls: T.Integer(),
  customerId: OrNull(T.String()),
  documentChecked: T.Boolean(),
  lineId: OrNull(T.String()),
  simOutcome: T.Unsafe<(typeof SIM_OUTCOMES)[number] | null>({ type: ['string', 'null'], enum: [...SIM_OUTCOMES, null] }),
  checklist: ChecklistSchema,
  terminationRef: OrNull(T.String()),
});
export const ShopQueueSchema = T.Object({ shop: ShopSchema, counters: T.Array(CounterSchema), tickets: T.Array(ConsoleTicketSchema) });
export const CallNextBody = T.Object({ counterId: Id }, strict);
export const CallNextSchema = T.Object({ ticket: OrNull(ConsoleTicketSchema) });
export const MoveBody = T.Object({ action: StringEnum(['recall', 'no_show', 'serve', 'finish'] as const) }, strict);
export const TransferBody = T.Object({ counterId: T.Optional(Id), language: T.Optional(Language) }, { ...strict, description: 'counterId: to that counter; language: to a counter whose agent speaks it' });
export const FindCustomerBody = T.Object({ msisdn: T.String({ minLength: 1, maxLength: 64 }) }, strict);
export const PassportBody = T.Object({ documentNumber: T.String({ minLength: 1, maxLength: 40, description: 'Typed from the document; compared with the keyed hash on file and never stored' }) }, strict);
export const PayBody = T.Object({ lineId: Id, amount: T.Integer({ minimum: 1, maximum: 100_000_000, description: 'minor units' }), method: StringEnum(['cash', 'card'] as const) }, strict);
export const PaidSchema = T.Object({ balance: T.Integer() });
export const SimBody = T.Object({ lineId: Id, outcome: StringEnum(SIM_OUTCOMES), iccid: T.Optional(T.String({ minLength: 10, maxLength: 32, description: 'Typed or scanned from the SIM card: must be the line\'s' })) }, strict);
export const ConfirmBody = T.Object({ lineId: Id, effective: T.Optional(T.String({ pattern: '^(now|end_of_period|\\d{4}-\\d{2}-\\d{2})$' })), chargesAccepted: T.Optional(T.Boolean()) }, strict);

export const ShopFiguresSchema = T.Object({
  from: Instant,
  to: Instant,
  hours: T.Array(T.Object({ shopId: T.String(), serviceId: T.String(), localHour: T.Integer(), served: T.Integer(), averageWaitSeconds: T.Integer(), averageServiceSeconds: T.Integer(), longestWaitSeconds: T.Integer() })),
  waitingNow: T.Array(T.Object({ shopId: T.String(), serviceId: T.String(), waiting: T.Integer() })),
});
