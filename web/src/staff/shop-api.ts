/**
 * The counter console's calls (role shop_agent), through the staff pages' API client; the paths are the shop
 * routes' (src/channels/api/routes/shop.routes.ts), named once here, and the types their schemas, imported as types.
 */
import type { Static } from '@sinclair/typebox';
import type { StaffCustomerSchema } from '../../../src/channels/api/schemas.ts';
import type { ConsoleTicketSchema, CounterSchema, ShopQueueSchema } from '../../../src/channels/api/shop-schemas.ts';
import type { Preview } from '../api.ts';

export type ConsoleTicket = Static<typeof ConsoleTicketSchema>;
export type ShopCounter = Static<typeof CounterSchema>;
export type ShopQueue = Static<typeof ShopQueueSchema>;
export interface FoundCustomer {
  ticket: ConsoleTicket;
  customer: Static<typeof StaffCustomerSchema>;
}
export type TicketPreview = Preview;

const ticket = (id: string) => `/staff/shop/tickets/${encodeURIComponent(id)}`;
export const CONSOLE_PATHS = {
  queue: '/staff/shop/queue',
  callNext: '/staff/shop/call-next',
  move: (id: string) => `${ticket(id)}/move`,
  transfer: (id: string) => `${ticket(id)}/transfer`,
  customer: (id: string) => `${ticket(id)}/customer`,
  passport: (id: string) => `${ticket(id)}/passport`,
  preview: (id: string, lineId: string, effective: string) => `${ticket(id)}/preview?lineId=${encodeURIComponent(lineId)}&effective=${encodeURIComponent(effective)}`,
  payments: (id: string) => `${ticket(id)}/payments`,
  sim: (id: string) => `${ticket(id)}/sim`,
  checklist: (id: string) => `${ticket(id)}/checklist`,
  confirm: (id: string) => `${ticket(id)}/confirm`,
  /** The signed certificate of the ticket's completed termination (the same PDF the holder downloads). */
  certificate: (id: string) => `/api/v1${ticket(id)}/certificate.pdf`,
};
