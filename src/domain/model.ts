import type { Channel } from './channels.ts';
import type { Language } from './languages.ts';
import type { EsimState, LineState, NumberState, SimState, SimType } from './inventory.ts';
import type { Minor } from './money.ts';
import type { Instant } from './time.ts';

export interface IdentityDocument {
  readonly type: 'passport' | 'national_id' | 'residence_permit';
  readonly country: string;
  /** Keyed hash of the document number; the number itself is never stored. */
  readonly numberHash: string;
  readonly last4: string;
}

export interface Customer {
  readonly id: string;
  readonly name: string;
  readonly language: Language;
  readonly email: string | null;
  readonly birthDate: string | null;
  readonly document: IdentityDocument | null;
  /** True when the document's country differs from the operator's. */
  readonly foreigner: boolean;
  readonly identityVerifiedAt: Instant | null;
  readonly createdAt: Instant;
}

export interface Account {
  readonly id: string;
  readonly customerId: string;
  readonly currency: string;
  /** Positive: the subscriber has credit. Negative: the subscriber owes. */
  readonly balance: Minor;
}

export type LedgerKind = 'charge' | 'payment' | 'invoice' | 'fee' | 'refund' | 'adjustment';

export interface LedgerEntry {
  readonly id: string;
  readonly accountId: string;
  readonly kind: LedgerKind;
  /** Signed: what the entry adds to the balance. */
  readonly amount: Minor;
  readonly description: string;
  readonly reference: string | null;
  readonly at: Instant;
}

export interface Contract {
  readonly startedAt: Instant;
  /** The end of the minimum term; null when there is none. */
  readonly minimumTermEndsAt: Instant | null;
  /** Device instalments still to pay, in minor units. */
  readonly instalmentsLeft: Minor;
}

export interface Line {
  readonly id: string;
  readonly accountId: string;
  readonly customerId: string;
  readonly msisdn: string;
  readonly simType: SimType;
  readonly iccid: string;
  readonly planName: string;
  readonly monthlyFee: Minor;
  readonly state: LineState;
  readonly contract: Contract;
  readonly dataLeftMb: number;
  readonly periodStart: Instant;
  readonly periodEnd: Instant;
  readonly portOutRequestedAt: Instant | null;
  readonly legalHoldAt: Instant | null;
  readonly lastPaidActivityAt: Instant | null;
  readonly activatedAt: Instant;
  readonly terminatedAt: Instant | null;
}

export interface PhoneNumber {
  readonly msisdn: string;
  readonly state: NumberState;
  readonly quarantineUntil: Instant | null;
}

export interface NumberAssignment {
  readonly msisdn: string;
  readonly lineId: string;
  readonly customerId: string;
  readonly from: Instant;
  readonly to: Instant | null;
}

export interface PhysicalSim {
  readonly iccid: string;
  readonly imsi: string;
  readonly state: SimState;
}

export interface EsimProfile {
  readonly iccid: string;
  readonly eid: string | null;
  readonly smdpAddress: string;
  readonly matchingId: string;
  readonly state: EsimState;
}

export interface Reclaim {
  readonly id: string;
  readonly msisdn: string;
  readonly customerId: string;
  readonly formerLineId: string;
  readonly newLineId: string;
  readonly channel: Channel;
  readonly at: Instant;
}
