/**
 * The TMF622 v4 facade's own response contract: the ProductOrder and
 * CancelProductOrder that simexit sends, field by field. Route responses are
 * declared with these schemas, so every answer is checked against them (see
 * response-validation.ts) and drift is caught without TM Forum's files. The
 * state and action lists are the values TMF622 v4 allows; the conformance test
 * (test/tmf622.test.ts, SIMEXIT_TMF_SPECS) checks these shapes against TM
 * Forum's published schema.
 */
import { type Static, Type as T } from '@sinclair/typebox';
import { StringEnum } from '../api/schemas.ts';

const strict = { additionalProperties: false } as const;
const Instant = T.String({ format: 'date-time' });

/** ProductOrderStateType in TMF622 v4. */
export const PRODUCT_ORDER_STATES = ['acknowledged', 'rejected', 'pending', 'held', 'inProgress', 'cancelled', 'completed', 'failed', 'partial', 'assessingCancellation', 'pendingCancellation'] as const;
/** ProductOrderItemStateType in TMF622 v4 (the order's list without `partial`). */
export const PRODUCT_ORDER_ITEM_STATES = PRODUCT_ORDER_STATES.filter((s) => s !== 'partial');
/** TaskStateType in TMF622 v4 (a CancelProductOrder's state). */
export const TASK_STATES = ['accepted', 'terminatedWithError', 'inProgress', 'done'] as const;
/** OrderItemActionType in TMF622 v4. */
export const ORDER_ITEM_ACTIONS = ['add', 'modify', 'delete', 'noChange'] as const;

export const ChannelRefSchema = T.Object({ id: T.String(), name: T.String(), '@type': T.Literal('ChannelRef') }, strict);
export const NoteSchema = T.Object({ text: T.String(), '@type': T.Literal('Note') }, strict);
export const ProductRefSchema = T.Object({ id: T.String(), name: T.String(), '@type': T.Literal('ProductRef'), '@referredType': T.Literal('Product') }, strict);
export const ProductOrderItemSchema = T.Object(
  {
    id: T.String({ minLength: 1 }),
    action: StringEnum(ORDER_ITEM_ACTIONS),
    state: StringEnum(PRODUCT_ORDER_ITEM_STATES),
    product: ProductRefSchema,
    '@type': T.Literal('ProductOrderItem'),
  },
  strict,
);

const orderFields = {
  id: T.String({ minLength: 1 }),
  href: T.String({ format: 'uri' }),
  orderDate: Instant,
  requestedCompletionDate: Instant,
  expectedCompletionDate: Instant,
  completionDate: T.Optional(Instant),
  cancellationDate: T.Optional(Instant),
  cancellationReason: T.Optional(T.String()),
  state: StringEnum(PRODUCT_ORDER_STATES),
  channel: T.Array(ChannelRefSchema, { minItems: 1 }),
  note: T.Optional(T.Array(NoteSchema)),
  productOrderItem: T.Array(ProductOrderItemSchema, { minItems: 1, maxItems: 1 }),
  '@type': T.Literal('ProductOrder'),
};

/** A whole ProductOrder, as POST /productOrder answers and GET answers without `fields`. */
export const ProductOrderSchema = T.Object(orderFields, { ...strict, description: 'A TMF622 v4 ProductOrder that ends one line' });
export type ProductOrder = Static<typeof ProductOrderSchema>;

/**
 * A ProductOrder cut down to the `fields` asked for: every field keeps its
 * type, id, href and @type are always there, nothing else may appear.
 */
export const ProductOrderFieldsSchema = T.Object(
  { ...T.Partial(T.Object(orderFields)).properties, id: orderFields.id, href: orderFields.href, '@type': orderFields['@type'] },
  { ...strict, description: 'A ProductOrder, whole or with the fields asked for (id, href and @type always)' },
);

export const CancelProductOrderSchema = T.Object(
  {
    id: T.String({ minLength: 1 }),
    href: T.String({ format: 'uri' }),
    state: StringEnum(TASK_STATES),
    effectiveCancellationDate: Instant,
    cancellationReason: T.String(),
    productOrder: T.Object({ id: T.String({ minLength: 1 }), href: T.String({ format: 'uri' }), '@referredType': T.Literal('ProductOrder') }, strict),
    '@type': T.Literal('CancelProductOrder'),
  },
  { ...strict, description: 'A TMF622 v4 CancelProductOrder: the withdrawal of a termination' },
);
export type CancelProductOrder = Static<typeof CancelProductOrderSchema>;
