import type { TransitionTable } from './state-machine.ts';

/** MSISDN inventory (DESIGN §2). A number is recycled by going back to `available`. */
export const NUMBER_STATES = ['available', 'reserved', 'assigned', 'quarantined', 'ported_out', 'retired'] as const;
export type NumberState = (typeof NUMBER_STATES)[number];

export const numberTransitions: TransitionTable<NumberState> = {
  available: ['reserved', 'assigned', 'retired'],
  reserved: ['assigned', 'available'],
  assigned: ['quarantined', 'ported_out'],
  quarantined: ['available', 'assigned', 'retired'],
  ported_out: [],
  retired: [],
};

/** Physical SIM cards. ICCIDs are never reused, so every end state is final. */
export const SIM_STATES = ['in_stock', 'active', 'returned', 'destroyed', 'lost'] as const;
export type SimState = (typeof SIM_STATES)[number];

export const simTransitions: TransitionTable<SimState> = {
  in_stock: ['active', 'destroyed', 'lost'],
  active: ['returned', 'destroyed', 'lost'],
  returned: [],
  destroyed: [],
  lost: [],
};

/** eSIM profiles in the SGP.22 ES2+ states, as the SM-DP+ reports them. */
export const ESIM_STATES = [
  'available',
  'allocated',
  'linked',
  'confirmed',
  'released',
  'downloaded',
  'installed',
  'enabled',
  'disabled',
  'deleted',
  'unavailable',
  'error',
] as const;
export type EsimState = (typeof ESIM_STATES)[number];

export const esimTransitions: TransitionTable<EsimState> = {
  available: ['allocated', 'linked', 'unavailable', 'error'],
  allocated: ['linked', 'confirmed', 'released', 'available', 'unavailable', 'error'],
  linked: ['confirmed', 'released', 'available', 'unavailable', 'error'],
  confirmed: ['released', 'available', 'unavailable', 'error'],
  released: ['downloaded', 'available', 'unavailable', 'error'],
  downloaded: ['installed', 'error', 'deleted'],
  installed: ['enabled', 'disabled', 'deleted', 'error'],
  enabled: ['disabled', 'deleted', 'error'],
  disabled: ['enabled', 'deleted', 'error'],
  deleted: [],
  unavailable: [],
  error: ['unavailable', 'deleted'],
};

/**
 * A profile the device has not downloaded yet can be cancelled on the SM-DP+
 * (ES2+ CancelOrder). Once downloaded it lives on the device: the network side
 * is barred and the device's delete notification closes it later.
 */
export const isEsimOnDevice = (state: EsimState): boolean =>
  state === 'downloaded' || state === 'installed' || state === 'enabled' || state === 'disabled';

/** Line states (DESIGN §2). A withdrawn termination returns the line to the state it had before. */
export const LINE_STATES = ['active', 'suspended', 'termination_scheduled', 'terminated'] as const;
export type LineState = (typeof LINE_STATES)[number];

export const lineTransitions: TransitionTable<LineState> = {
  active: ['suspended', 'termination_scheduled'],
  suspended: ['active', 'termination_scheduled'],
  termination_scheduled: ['active', 'suspended', 'terminated'],
  terminated: [],
};

export type SimType = 'sim' | 'esim';
