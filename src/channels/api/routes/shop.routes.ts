import { Type as T } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AppContext } from '../../../app/context.ts';
import { once } from '../../../app/idempotency.ts';
import { bindStaffToShop, putCounter, putService, putShop, shopSetup, shopsForAdmin, staffForAdmin } from '../../../app/shop-admin.ts';
import { boardSnapshot, parseBoardCursor, watchBoard } from '../../../app/shop-board.ts';
import { callNext, checkPassport, confirmAtCounter, findTicketCustomer, handOffToLanguage, moveAtCounter, payAtCounter, recordChecklist, recordSim, shopQueue, ticketCertificate, ticketPreview, transferTicket } from '../../../app/shop-console.ts';
import { shopFigures } from '../../../app/shop-figures.ts';
import { checkInByNumber, kioskServices, takeTicket } from '../../../app/shop-kiosk.ts';
import { AppError } from '../../../domain/errors.ts';
import { parseEffective } from '../../../domain/preview.ts';
import { requireStaff } from '../auth-plugin.ts';
import { Effective } from '../call-schemas.ts';
import { errorResponses, PreviewSchema, previewView, StaffCustomerSchema, TerminationSchema, terminationView } from '../schemas.ts';
import {
  CallNextBody,
  CallNextSchema,
  CheckInBody,
  ConfirmBody,
  ConsoleTicketSchema,
  CounterBody,
  CounterSchema,
  FindCustomerBody,
  IssuedTicketSchema,
  KioskSchema,
  MoveBody,
  PaidSchema,
  PassportBody,
  PayBody,
  ServiceBody,
  ServiceSchema,
  ShopBody,
  ShopFiguresSchema,
  ShopItemParams,
  ShopNames,
  ShopParams,
  ShopQueueSchema,
  ShopSchema,
  ShopSetupSchema,
  SimBody,
  StaffMemberSchema,
  StaffParams,
  StaffShopBody,
  TicketBody,
  TicketParams,
  TransferBody,
} from '../shop-schemas.ts';

const strict = { additionalProperties: false } as const;
const IdempotencyHeader = T.Object({ 'idempotency-key': T.Optional(T.String({ minLength: 1, maxLength: 128 })) });
const BoardCallSchema = T.Object({
  seq: T.Integer({ description: "The call's number in its shop, increasing: the event id of a `called` event" }),
  eventId: T.String({ description: 'Stable per announcement (a recall is a new one)' }),
  ticketId: T.String(),
  number: T.String(),
  counterLabel: T.String(),
  calledAt: T.String(),
  recalls: T.Integer(),
});
const BoardSchema = T.Object({
  shopId: T.String(),
  name: T.String(),
  names: ShopNames,
  languages: T.Array(T.String()),
  timeZone: T.String({ description: "The shop's IANA time zone: times on its screens are shown in it" }),
  cursor: T.Integer({ description: 'The number of the last call included; the stream goes on after it' }),
  calls: T.Array(BoardCallSchema),
});
const BoardQuery = T.Object({ after: T.Optional(T.String({ pattern: '^[0-9]{1,15}$', description: 'The last call the board showed, for a board that cannot send Last-Event-ID (a new EventSource)' })) }, strict);

/** One server-sent event; `data` is JSON on one line. */
const sse = (event: string, id: number, data: unknown) => `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * The shop (issue 14): administrators set shops up under /admin/shops; the kiosk and the lobby board are public
 * under /shops/{shopId}; the counter console is a shop agent's under /staff/shop (their own shop only, decided in
 * src/app); the back office reads the figures at /staff/shop-figures.
 */
export function shopRoutes(ctx: AppContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    // ── Administration ──────────────────────────────────────────────────────────────────────────────────────
    app.get('/admin/shops', { schema: { tags: ['shop'], summary: 'Admin: every shop', response: { 200: T.Array(ShopSchema), ...errorResponses } } }, async (request) => shopsForAdmin(ctx, requireStaff(request, 'admin')));

    app.get(
      '/admin/shops/:shopId',
      { schema: { tags: ['shop'], summary: 'Admin: a shop with its counters and services', params: ShopParams, response: { 200: ShopSetupSchema, ...errorResponses } } },
      async (request) => {
        requireStaff(request, 'admin');
        return shopSetup(ctx, request.params.shopId);
      },
    );

    app.post(
      '/admin/shops/:shopId',
      { schema: { tags: ['shop'], summary: 'Admin: create or replace a shop (names and address per language, time zone, languages, weekly hours); audited', params: ShopParams, body: ShopBody, response: { 200: ShopSchema, ...errorResponses } } },
      async (request) => putShop(ctx, requireStaff(request, 'admin'), { id: request.params.shopId, ...request.body }),
    );

    app.post(
      '/admin/shops/:shopId/counters/:id',
      { schema: { tags: ['shop'], summary: 'Admin: create or replace a counter (window) of a shop: its label, services, the languages its agent speaks and whether it is out of service; audited', params: ShopItemParams, body: CounterBody, response: { 200: CounterSchema, ...errorResponses } } },
      async (request) => putCounter(ctx, requireStaff(request, 'admin'), { shopId: request.params.shopId, id: request.params.id, ...request.body }),
    );

    app.post(
      '/admin/shops/:shopId/services/:id',
      { schema: { tags: ['shop'], summary: 'Admin: create or replace a service type of a shop: its ticket letter and names in ru/en/zh; audited', params: ShopItemParams, body: ServiceBody, response: { 200: ServiceSchema, ...errorResponses } } },
      async (request) => putService(ctx, requireStaff(request, 'admin'), { shopId: request.params.shopId, id: request.params.id, ...request.body }),
    );

    app.get('/admin/staff', { schema: { tags: ['shop'], summary: 'Admin: every staff member with their role and shop', response: { 200: T.Array(StaffMemberSchema), ...errorResponses } } }, async (request) => staffForAdmin(ctx, requireStaff(request, 'admin')));

    app.post(
      '/admin/staff/:staffId/shop',
      { schema: { tags: ['shop'], summary: 'Admin: bind a shop agent to a shop (null: to none); from their next request they see only that shop; audited', params: StaffParams, body: StaffShopBody, response: { 200: StaffMemberSchema, ...errorResponses } } },
      async (request) => bindStaffToShop(ctx, requireStaff(request, 'admin'), request.params.staffId, request.body.shopId),
    );

    // ── Kiosk and board (no sign-in) ────────────────────────────────────────────────────────────────────────
    app.get(
      '/shops/:shopId/services',
      { schema: { tags: ['shop'], summary: 'Kiosk: the services of a shop, how many wait for each and the estimated wait', params: ShopParams, response: { 200: KioskSchema, ...errorResponses } } },
      async (request) => {
        const { shop, open, nextOpening, services } = await kioskServices(ctx, request.params.shopId);
        return { shop: { id: shop.id, name: shop.name, names: shop.names, address: shop.address, languages: [...shop.languages], timeZone: shop.timeZone }, open, nextOpening, services };
      },
    );

    app.post(
      '/shops/:shopId/tickets',
      {
        schema: {
          tags: ['shop'],
          summary: 'Kiosk or site: take a ticket (with phone: a remote ticket, told by SMS when three are ahead). Requires an Idempotency-Key header (one per kiosk press); limited per address',
          headers: IdempotencyHeader,
          params: ShopParams,
          body: TicketBody,
          response: { 201: IssuedTicketSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const key = request.headers['idempotency-key'];
        if (!key) throw new AppError('IDEMPOTENCY_KEY_REQUIRED', {});
        const { shopId } = request.params;
        const result = await once(ctx, `kiosk:${shopId}`, key, request.body, async () => ({ status: 201, body: await takeTicket(ctx, shopId, request.body, request.ip) }));
        return reply.code(result.status as 201).send(result.body as never);
      },
    );

    // Check-in is by the number the holder was given and four digits of their phone, never by ticket id: an id
    // travels with the ticket's view, and whoever held it could mark someone "in the shop" from anywhere.
    app.post(
      '/shops/:shopId/check-in',
      {
        schema: {
          tags: ['shop'],
          summary:
            "Kiosk: the holder of today's remote ticket has arrived (its number and the last four digits of its phone); from now on it can be called, in its place. Answers again for a ticket already checked in; an unknown number and wrong digits are refused alike; failures are limited per address",
          params: ShopParams,
          body: CheckInBody,
          response: { 200: IssuedTicketSchema, ...errorResponses },
        },
      },
      async (request) => checkInByNumber(ctx, request.params.shopId, request.body, request.ip),
    );

    app.get(
      '/shops/:shopId/board',
      {
        schema: {
          tags: ['shop'],
          summary:
            'Lobby board: with Accept: text/event-stream, server-sent events: a `snapshot` of the calls at the counters, then a `called` event per call or recall (ticket number, counter label), each with the id of the call; a board that reconnects with Last-Event-ID (or ?after=) gets exactly the calls after it, or a snapshot when it missed too many. Otherwise the snapshot as JSON',
          params: ShopParams,
          querystring: BoardQuery,
          response: { 200: BoardSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const { shopId } = request.params;
        if (!(request.headers.accept ?? '').includes('text/event-stream')) return boardSnapshot(ctx, shopId);
        const lastEventId = request.headers['last-event-id'];
        const lastSeen = parseBoardCursor(typeof lastEventId === 'string' && lastEventId !== '' ? lastEventId : request.query.after);
        const raw = reply.raw;
        const { start, stop } = await watchBoard(ctx, shopId, lastSeen, (calls) => {
          for (const call of calls) raw.write(sse('called', call.seq, call));
        });
        reply.hijack();
        raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
        raw.write('retry: 2000\n\n');
        if (start.kind === 'snapshot') raw.write(sse('snapshot', start.snapshot.cursor, start.snapshot));
        else for (const call of start.calls) raw.write(sse('called', call.seq, call));
        const ping = setInterval(() => raw.write(': ping\n\n'), 15_000);
        ping.unref();
        const end = () => {
          stop();
          clearInterval(ping);
        };
        raw.on('close', end);
        if (raw.destroyed) end();
        return reply;
      },
    );

    // ── The counter console (shop agents, their own shop) ───────────────────────────────────────────────────
    app.get('/staff/shop/queue', { schema: { tags: ['shop'], summary: "Shop agent: your shop's counters and open tickets, oldest first", response: { 200: ShopQueueSchema, ...errorResponses } } }, async (request) => {
      const { shop, counters, tickets } = await shopQueue(ctx, requireStaff(request));
      return { shop, counters, tickets };
    });

    app.post(
      '/staff/shop/call-next',
      { schema: { tags: ['shop'], summary: 'Shop agent: call the next ticket to a counter of your shop (sent here first, then priority, then oldest); null when nobody waits', body: CallNextBody, response: { 200: CallNextSchema, ...errorResponses } } },
      async (request) => ({ ticket: await callNext(ctx, requireStaff(request), request.body.counterId) }),
    );

    app.post(
      '/staff/shop/tickets/:id/move',
      { schema: { tags: ['shop'], summary: 'Shop agent: recall (announce again), no_show, serve (the holder is at the counter) or finish a ticket of your shop', params: TicketParams, body: MoveBody, response: { 200: ConsoleTicketSchema, ...errorResponses } } },
      async (request) => moveAtCounter(ctx, requireStaff(request), request.params.id, request.body.action),
    );

    app.post(
      '/staff/shop/tickets/:id/transfer',
      { schema: { tags: ['shop'], summary: 'Shop agent: send a ticket to another counter of your shop (counterId), or to one whose agent speaks a language (language); it keeps its number', params: TicketParams, body: TransferBody, response: { 200: ConsoleTicketSchema, ...errorResponses } } },
      async (request) => {
        const agent = requireStaff(request);
        const { counterId, language } = request.body;
        if (counterId && !language) return transferTicket(ctx, agent, request.params.id, counterId);
        if (language && !counterId) return handOffToLanguage(ctx, agent, request.params.id, language);
        throw new AppError('VALIDATION_FAILED', { reason: 'give either counterId or language' });
      },
    );

    app.post(
      '/staff/shop/tickets/:id/customer',
      {
        schema: {
          tags: ['shop'],
          summary: "Shop agent: find the holder of a called ticket by an exact number of their line (opens a case in your shop); audited",
          params: TicketParams,
          body: FindCustomerBody,
          response: { 200: T.Object({ ticket: ConsoleTicketSchema, customer: StaffCustomerSchema }), ...errorResponses },
        },
      },
      async (request) => findTicketCustomer(ctx, requireStaff(request), request.params.id, request.body.msisdn),
    );

    app.post(
      '/staff/shop/tickets/:id/passport',
      { schema: { tags: ['shop'], summary: "Shop agent: check the holder's identity document by typing its number (compared with the keyed hash on file; a mismatch is refused and audited; nothing kept)", params: TicketParams, body: PassportBody, response: { 200: ConsoleTicketSchema, ...errorResponses } } },
      async (request) => checkPassport(ctx, requireStaff(request), request.params.id, request.body.documentNumber),
    );

    app.get(
      '/staff/shop/tickets/:id/preview',
      {
        schema: {
          tags: ['shop'],
          summary: "Shop agent: the termination preview of a line of the ticket's customer (channel store)",
          params: TicketParams,
          querystring: T.Object({ lineId: T.String({ minLength: 1, maxLength: 64 }), effective: T.Optional(Effective) }, strict),
          response: { 200: PreviewSchema, ...errorResponses },
        },
      },
      async (request) => previewView(await ticketPreview(ctx, requireStaff(request), request.params.id, request.query.lineId, parseEffective(request.query.effective ?? 'now'))),
    );

    app.post(
      '/staff/shop/tickets/:id/payments',
      {
        schema: {
          tags: ['shop'],
          summary: "Shop agent: money taken at the counter (cash or card), credited to the line's account in the ledger with you and the shop. Requires an Idempotency-Key header",
          headers: IdempotencyHeader,
          params: TicketParams,
          body: PayBody,
          response: { 201: PaidSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const key = request.headers['idempotency-key'];
        if (!key) throw new AppError('IDEMPOTENCY_KEY_REQUIRED', {});
        const { balance } = await payAtCounter(ctx, requireStaff(request), request.params.id, request.body, key);
        return reply.code(201).send({ balance });
      },
    );

    app.post(
      '/staff/shop/tickets/:id/sim',
      { schema: { tags: ['shop'], summary: "Shop agent: what became of the line's SIM: handed_in (the ICCID typed or scanned must be the line's), kept_by_subscriber or destroyed", params: TicketParams, body: SimBody, response: { 200: ConsoleTicketSchema, ...errorResponses } } },
      async (request) => recordSim(ctx, requireStaff(request), request.params.id, request.body),
    );

    app.post(
      '/staff/shop/tickets/:id/checklist',
      { schema: { tags: ['shop'], summary: 'Shop agent: the checklist (PIN removed, data exported, logins moved off the number)', params: TicketParams, body: T.Object({ checklist: T.Object({ pinRemoved: T.Boolean(), dataExported: T.Boolean(), loginsMoved: T.Boolean() }, strict) }, strict), response: { 200: ConsoleTicketSchema, ...errorResponses } } },
      async (request) => recordChecklist(ctx, requireStaff(request), request.params.id, request.body.checklist),
    );

    app.post(
      '/staff/shop/tickets/:id/confirm',
      {
        schema: {
          tags: ['shop'],
          summary: 'Shop agent: end the line at the counter (channel store, you recorded), confirmed at once on the passport check; needs the SIM recorded and every checklist item',
          params: TicketParams,
          body: ConfirmBody,
          response: { 201: T.Object({ ticket: ConsoleTicketSchema, termination: TerminationSchema }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const done = await confirmAtCounter(ctx, requireStaff(request), request.params.id, { lineId: request.body.lineId, effective: parseEffective(request.body.effective ?? 'now'), chargesAccepted: request.body.chargesAccepted });
        return reply.code(201).send({ ticket: done.ticket, termination: terminationView(done.termination) });
      },
    );

    app.get(
      '/staff/shop/tickets/:id/certificate.pdf',
      { schema: { tags: ['shop'], summary: "Shop agent: the signed certificate of the ticket's completed termination (PDF), to print", params: TicketParams, produces: ['application/pdf'] } },
      async (request, reply) => {
        const pdf = await ticketCertificate(ctx, requireStaff(request), request.params.id);
        return reply.type('application/pdf').header('content-disposition', 'attachment; filename="certificate.pdf"').send(pdf);
      },
    );

    app.get(
      '/staff/shop-figures',
      {
        schema: {
          tags: ['shop'],
          summary: 'Back office: wait and service times per shop, service and local hour over the last days, and how many wait now',
          querystring: T.Object({ days: T.Optional(T.String({ pattern: '^[0-9]{1,3}$', description: 'how many days back from now (1 to 366, default 7)' })), shopId: T.Optional(T.String({ minLength: 1, maxLength: 64 })) }, strict),
          response: { 200: ShopFiguresSchema, ...errorResponses },
        },
      },
      async (request) => {
        const agent = requireStaff(request, 'back_office');
        const days = Math.min(366, Math.max(1, Number(request.query.days ?? 7)));
        const to = ctx.clock();
        return shopFigures(ctx, agent, { from: new Date(Date.parse(to) - days * 86_400_000).toISOString(), to, shopId: request.query.shopId });
      },
    );
  };
}
