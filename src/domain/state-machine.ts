import { AppError } from './errors.ts';

/** Legal transitions as data: each state lists the states it may move to. */
export type TransitionTable<S extends string> = Readonly<Record<S, readonly S[]>>;

export function canTransition<S extends string>(table: TransitionTable<S>, from: S, to: S): boolean {
  return table[from].includes(to);
}

/** Refuses any move the table does not list, with a typed error naming the entity. */
export function assertTransition<S extends string>(entity: string, table: TransitionTable<S>, from: S, to: S): void {
  if (!canTransition(table, from, to)) throw new AppError('INVALID_TRANSITION', { entity, from, to });
}
