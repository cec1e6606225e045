/**
 * The counter console's calls (role shop_agent), through the staff pages' API client; the paths are the shop
 * routes', named once here. ConsoleTicket is the shape of src/app/shop-console.ts (ConsoleTicketSchema), written
 * out because importing the use case would pull the server into the web's type check.
 */
import type { Language } from '../../../src/domain/languages.ts';
import type { Shop, ShopChecklist, ShopCounter, SimOutcome } from '../../../src/domain/shop.ts';
import type { TicketState } from '../../../src/domain/shop-queue.ts';
import type { Line, Preview } from '../api.ts';

export type { Shop, ShopCounter };
export interface ConsoleTicket {
  id: string;
  number: string;
  serviceId: string;
  language: Language;
  priority: string;
  remote: boolean;
  arrived: boolean;
  state: TicketState;
  counterId: string | null;
  issuedAt: string;
  calledAt: string | null;
  recalls: number;
  customerId: string | null;
  documentChecked: boolean;
  lineId: string | null;
  simOutcome: SimOutcome | null;
  checklist: ShopChecklist;
  terminationRef: string | null;
}
export interface ShopQueue {
  shop: Shop;
  counters: ShopCounter[];
  tickets: ConsoleTicket[];
}
export interface FoundCustomer {
  ticket: ConsoleTicket;
  customer: { id: string; name: string; language: string; identityVerified: boolean; documentLast4: string | null; lines: Line[] };
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
  pay: (id: string) => `${ticket(id)}/pay`,
  sim: (id: string) => `${ticket(id)}/sim`,
  checklist: (id: string) => `${ticket(id)}/checklist`,
  confirm: (id: string) => `${ticket(id)}/confirm`,
  /** The existing certificate PDF of the completed termination (the same the holder downloads). */
  certificate: (reference: string) => `/api/v1/terminations/${encodeURIComponent(reference)}/certificate.pdf`,
};
