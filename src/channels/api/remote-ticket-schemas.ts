/** The site's remote tickets (issue 14): the shops to choose from and the subscriber's own tickets. */
import { Type as T } from '@sinclair/typebox';
import { TICKET_STATES } from '../../domain/shop-queue.ts';
import { OrNull, StringEnum } from './schemas.ts';
import { Language, Names, ShopNames } from './shop-schemas.ts';

const strict = { additionalProperties: false } as const;
const Instant = T.String({ format: 'date-time' });
const Id = T.String({ minLength: 1, maxLength: 64 });
const Clock = T.String({ pattern: '^\\d{2}:\\d{2}$' });

export const SubscriberShopSchema = T.Object({
  id: T.String(),
  name: T.String(),
  names: ShopNames,
  timeZone: T.String({ description: "IANA zone: the shop's hours and ticket times are local to it" }),
  languages: T.Array(Language),
  open: T.Boolean({ description: 'Whether the shop is open now, by its weekly hours' }),
  nextOpening: OrNull(T.String({ format: 'date-time', description: 'While closed, when it opens next; null while open or with no hours' })),
  todayHours: T.Array(T.Object({ open: Clock, close: Clock }), { description: "Today's local opening hours; empty on a closed day" }),
  services: T.Array(T.Object({ id: T.String(), letter: T.String(), names: Names, waiting: T.Integer(), estimatedWaitMinutes: OrNull(T.Integer()) })),
});

export const MyTicketSchema = T.Object({
  id: T.String(),
  number: T.String({ description: 'As printed and shown on the board: C-042' }),
  shopId: T.String(),
  shopName: T.String(),
  shopTimeZone: T.String(),
  serviceId: T.String(),
  serviceNames: Names,
  state: StringEnum(TICKET_STATES),
  checkedIn: T.Boolean({ description: 'Checked in at the kiosk; before that the ticket keeps its place but is not called' }),
  counterLabel: OrNull(T.String()),
  ahead: T.Integer({ description: 'People in the shop who will be called before this ticket' }),
  estimatedWaitMinutes: OrNull(T.Integer()),
  phone: OrNull(T.String({ description: "The number told by SMS when three people are ahead: the line's own" })),
  aheadNoticeSent: T.Boolean(),
  issuedAt: Instant,
});

export const RemoteTicketBody = T.Object({ shopId: Id, serviceId: Id, lineId: Id, language: Language }, strict);
