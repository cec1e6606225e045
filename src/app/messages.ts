/** Every contact channel the customer has: the line itself by SMS, and e-mail where known (decided in the domain). */
export { toAllContacts } from '../domain/effects.ts';
