/** Schemas of the administrators' staff-account and API-key routes (routes/staff-admin.routes.ts); the staff pages import them as types. */
import { Type as T } from '@sinclair/typebox';
import { STAFF_ROLES } from '../../app/principal.ts';
import { API_SCOPES } from '../../domain/api-scopes.ts';
import { OrNull, StringEnum } from './schemas.ts';
import { StaffMemberSchema } from './shop-schemas.ts';

const strict = { additionalProperties: false } as const;
const ShopId = T.String({ minLength: 1, maxLength: 40 });
const Password = T.String({ minLength: 8, maxLength: 200, description: 'at least 8 characters; never stored or logged, only its hash' });
const Name = T.String({ minLength: 1, maxLength: 80 });

export const StaffCreateBody = T.Object(
  {
    login: T.String({ minLength: 2, maxLength: 40, pattern: '^[A-Za-z][A-Za-z0-9._-]{1,39}$', description: 'kept in lower case; starts with a letter, so it is never taken for a phone number' }),
    name: Name,
    role: StringEnum(STAFF_ROLES),
    shopId: T.Optional(OrNull(ShopId)),
    password: T.Optional({ ...Password, description: 'omitted: one is generated and answered once' }),
  },
  strict,
);

export const StaffChangeBody = T.Object(
  {
    name: T.Optional(Name),
    role: T.Optional(StringEnum(STAFF_ROLES)),
    shopId: T.Optional(OrNull(ShopId)),
    disabled: T.Optional(T.Boolean({ description: 'true: signs in no more, every session ends; false: signs in again' })),
    newPassword: T.Optional(Password),
    generatePassword: T.Optional(T.Boolean({ description: 'true: a new password is generated and answered once (every session ends)' })),
  },
  { ...strict, minProperties: 1 },
);

export const StaffParams = T.Object({ staffId: T.String({ minLength: 1, maxLength: 64 }) }, strict);

export const StaffOutcomeSchema = T.Object({
  member: StaffMemberSchema,
  password: T.Optional(T.String({ description: 'the generated password, shown this once' })),
});

export const ApiKeySchema = T.Object({
  id: T.String(),
  name: T.String(),
  scopes: T.Array(T.String()),
  createdAt: T.String({ format: 'date-time' }),
  createdBy: OrNull(T.String()),
  lastUsedAt: OrNull(T.String({ format: 'date-time', description: 'to the minute' })),
  revokedAt: OrNull(T.String({ format: 'date-time' })),
});

export const ApiKeyCreateBody = T.Object({ name: Name, scopes: T.Array(StringEnum(API_SCOPES), { minItems: 1, maxItems: API_SCOPES.length, uniqueItems: true }) }, strict);

export const ApiKeyCreatedSchema = T.Composite([ApiKeySchema, T.Object({ key: T.String({ description: 'sx_…: the key, shown this once; only its hash is kept' }) })]);

export const ApiKeyParams = T.Object({ id: T.String({ minLength: 1, maxLength: 64 }) }, strict);
