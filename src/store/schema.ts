/** Row types as the database holds them. Only the store's mapping functions see these. */
import type { Generated } from 'kysely';

type Ts = string;
type Flag = number;

export interface CustomersTable {
  id: string;
  name: string;
  language: string;
  email: string | null;
  birth_date: string | null;
  doc_type: string | null;
  doc_country: string | null;
  doc_hash: string | null;
  doc_last4: string | null;
  foreigner: Flag;
  identity_verified_at: Ts | null;
  password_hash: string | null;
  oidc_subject: string | null;
  created_at: Ts;
}

export interface AccountsTable {
  id: string;
  customer_id: string;
  currency: string;
  balance: number;
  created_at: Ts;
}

export interface LedgerEntriesTable {
  id: string;
  account_id: string;
  kind: string;
  amount: number;
  description: string;
  reference: string | null;
  key: string | null;
  at: Ts;
}

export interface NumbersTable {
  msisdn: string;
  state: string;
  quarantine_until: Ts | null;
  updated_at: Ts;
}

export interface SimsTable {
  iccid: string;
  imsi: string;
  state: string;
  updated_at: Ts;
}

export interface EsimProfilesTable {
  iccid: string;
  eid: string | null;
  smdp_address: string;
  matching_id: string;
  state: string;
  awaiting_device_deletion_since: Ts | null;
  /** `LPA:1$<smdp_address>$<matching_id>` once the SM-DP+ confirmed the order (migration 2026-12-04T20-00-00_esim-activation_esimqr). */
  activation_code?: string | null;
  updated_at: Ts;
}

export interface LinesTable {
  id: string;
  account_id: string;
  customer_id: string;
  msisdn: string;
  sim_type: string;
  iccid: string;
  plan_name: string;
  monthly_fee: number;
  state: string;
  contract_started_at: Ts;
  minimum_term_ends_at: Ts | null;
  instalments_left: number;
  data_left_mb: number;
  period_start: Ts;
  period_end: Ts;
  port_out_requested_at: Ts | null;
  legal_hold_at: Ts | null;
  last_paid_activity_at: Ts | null;
  activated_at: Ts;
  terminated_at: Ts | null;
}

export interface NumberAssignmentsTable {
  id: string;
  msisdn: string;
  line_id: string;
  customer_id: string;
  from_at: Ts;
  to_at: Ts | null;
}

export interface TerminationsTable {
  id: string;
  reference: string;
  /** The sequence number the reference scrambles: the orders' unique key by reference (see referenceSequence). */
  seq: number;
  line_id: string;
  customer_id: string;
  account_id: string;
  msisdn: string;
  sim_type: string;
  channel: string;
  authority: string;
  requested_by_kind: string;
  requested_by_id: string;
  reason: string | null;
  state: string;
  effective_mode: string;
  effective_at: Ts;
  requested_at: Ts;
  confirm_by: Ts | null;
  confirmed_at: Ts | null;
  completed_at: Ts | null;
  blockers: string;
  warnings: string;
  quote: string;
  fee_accepted_at: Ts | null;
  instalments_accepted_at: Ts | null;
  amount_settled: number | null;
  amount_refunded: number | null;
  quarantine_until: Ts | null;
  sim_collected: Flag;
  line_state_before: string;
  steps: string;
  last_error: string | null;
  bulk_key: string | null;
  /** When the holder said the request was not theirs. */
  disowned_at: Ts | null;
  updated_at: Ts;
}

export interface JobsTable {
  id: string;
  kind: string;
  key: string;
  subject: string;
  state: string;
  run_at: Ts;
  attempts: number;
  max_attempts: number;
  leased_until: Ts | null;
  leased_by: string | null;
  last_error: string | null;
  created_at: Ts;
  updated_at: Ts;
}

export interface AuditLogTable {
  seq: number;
  at: Ts;
  actor_kind: string;
  actor_id: string;
  channel: string;
  entity_type: string;
  entity_id: string;
  action: string;
  from_state: string | null;
  to_state: string | null;
  reason: string | null;
  data: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface CountersTable {
  name: string;
  value: number;
}

export interface NotificationsTable {
  id: string;
  key: string;
  customer_id: string;
  subject_ref: string | null;
  template: string;
  medium: string;
  address: string;
  language: string;
  payload: string;
  state: string;
  created_at: Ts;
  sent_at: Ts | null;
  last_error: string | null;
}

/** A certificate's PDF as made once, per order and language (see src/app/certificates.ts). */
export interface CertificateFilesTable {
  /** Its order's sequence number, as in `certificates`. */
  seq: number;
  language: string;
  reference: string;
  /** The key that signed the file: one made under another key is made again. */
  key_id: string;
  pdf: Uint8Array;
  rendered_at: Ts;
}

export interface CertificatesTable {
  /** Its order's sequence number (the key; the reference decodes to it). */
  seq: number;
  reference: string;
  termination_id: string;
  facts: string;
  issued_at: Ts;
  signature: string | null;
  key_id: string | null;
}

export interface NetworkBarringsTable {
  key: string;
  msisdn: string;
  iccid: string;
  at: Ts;
}

/** A leader lease (work one worker at a time does, e.g. `numbers.sweep`): held until `expires_at`, next due at `due_at`. */
export interface LeasesTable {
  name: string;
  holder: string;
  expires_at: Ts;
  due_at: Ts;
  updated_at: Ts;
}

export interface ReclaimsTable {
  id: string;
  msisdn: string;
  customer_id: string;
  former_line_id: string;
  new_line_id: string;
  channel: string;
  at: Ts;
}

export interface StaffTable {
  id: string;
  login: string;
  name: string;
  role: string;
  shop_id: string | null;
  password_hash: string;
  created_at: Ts;
  /** Set when an administrator disables the account (migration 2026-12-07T10-00-00_staff-and-keys_keys). */
  disabled_at: Ts | null;
}

/** What the back office must look at: a request the holder said was not theirs ("not_me"). */
export interface StaffAlertsTable {
  id: string;
  kind: string;
  /** The order's reference. */
  subject_ref: string;
  customer_id: string | null;
  /** JSON: the facts a person needs (number, channel, state the order was in). */
  data: string;
  created_at: Ts;
  handled_at: Ts | null;
  handled_by: string | null;
}

/** A shop or call agent's open case for one customer (migration 2026-12-02T11-00-00_staff-cases). */
export interface StaffCasesTable {
  id: string;
  staff_id: string;
  customer_id: string;
  shop_id: string | null;
  call_id: string | null;
  /** How the customer was identified when the case was opened: 'msisdn' or 'document'. */
  identified_by: string;
  opened_at: Ts;
  expires_at: Ts;
  closed_at: Ts | null;
}

export interface Database extends ApiDatabase {
  customers: CustomersTable;
  accounts: AccountsTable;
  ledger_entries: LedgerEntriesTable;
  numbers: NumbersTable;
  sims: SimsTable;
  esim_profiles: EsimProfilesTable;
  lines: LinesTable;
  number_assignments: NumberAssignmentsTable;
  terminations: TerminationsTable;
  jobs: JobsTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  counters: CountersTable;
  notifications: NotificationsTable;
  certificates: CertificatesTable;
  certificate_files: CertificateFilesTable;
  network_barrings: NetworkBarringsTable;
  reclaims: ReclaimsTable;
  leases: LeasesTable;
  staff: StaffTable;
  staff_alerts: StaffAlertsTable;
  staff_cases: StaffCasesTable;
}

export type TableName = keyof Database;
export type { Generated };

export interface SessionsTable {
  token_hash: string;
  principal_kind: string;
  principal_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface OtpCodesTable {
  id: string;
  customer_id: string;
  purpose: string;
  subject: string;
  code_hash: string;
  attempts: number;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export interface AuthFailuresTable {
  key: string;
  failures: number;
  first_at: string;
  locked_until: string | null;
}

/** Devices that signed in before (migration 2026-12-02T10-00-00_trusted-devices); only a hash of the cookie is kept. */
export interface TrustedDevicesTable {
  token_hash: string;
  principal_kind: string;
  principal_id: string;
  created_at: string;
  expires_at: string;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  status: number | null;
  response: string | null;
  created_at: string;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  key_hash: string;
  scopes: string;
  created_at: string;
  /** Migration 2026-12-07T10-00-00_staff-and-keys_keys: when the key was last used, revoked, and who created it. */
  last_used_at: string | null;
  revoked_at: string | null;
  created_by: string | null;
}

export interface ApiDatabase {
  sessions: SessionsTable;
  otp_codes: OtpCodesTable;
  auth_failures: AuthFailuresTable;
  trusted_devices: TrustedDevicesTable;
  idempotency_keys: IdempotencyKeysTable;
  api_keys: ApiKeysTable;
}

/** Delivery of the notification outbox (migration 2026-11-22T01-00-00_delivery); merged into the interfaces above. */
export interface NotificationsTable {
  attempts: number;
  next_attempt_at: Ts | null;
  leased_until: Ts | null;
  leased_by: string | null;
  provider_id: string | null;
  failed_at: Ts | null;
  delivered_at: Ts | null;
  receipt_status: string | null;
}

export interface DeliveryReceiptsTable {
  provider_id: string;
  medium: string;
  status: string;
  error: string | null;
  at: Ts;
}

export interface Database {
  delivery_receipts: DeliveryReceiptsTable;
}

/** Payments through a payment provider (migration 2026-12-02T15-00-00_payments); merged into the interfaces above. */
export interface PaymentsTable {
  id: string;
  account_id: string;
  customer_id: string;
  amount: number;
  currency: string;
  provider: string;
  provider_payment_id: string | null;
  state: string;
  redirect_url: string | null;
  idempotency_key: string;
  error: string | null;
  created_at: Ts;
  updated_at: Ts;
  settled_at: Ts | null;
}

export interface PaymentCallbacksTable {
  event_id: string;
  provider_payment_id: string;
  state: string;
  received_at: Ts;
}

/** Dormancy notices per line and period of non-use (migration 2026-12-02T14-00-00_dormancy-notices). */
export interface DormancyNoticesTable {
  line_id: string;
  activity_at: Ts;
  days_before: number;
  termination_at: Ts;
  queued_at: Ts;
}

export interface Database {
  payments: PaymentsTable;
  payment_callbacks: PaymentCallbacksTable;
  dormancy_notices: DormancyNoticesTable;
}

/** Demo mode's clock offset (migration 2026-12-02T14-30-00_demo-clock). */
export interface DemoClockTable {
  id: number;
  offset_seconds: number;
  updated_at: Ts;
}

export interface Database {
  demo_clock: DemoClockTable;
}

/** The hotline's calls and the signed webhooks seen (migration 2026-12-03T10-00-00_calls). */
export interface CallsTable {
  id: string;
  call_sid: string;
  from_number: string;
  to_number: string;
  language: string | null;
  state: string;
  /** JSON: the call flow (src/domain/call-flow.ts). */
  data: string;
  wrong_inputs: number;
  slow: Flag;
  customer_id: string | null;
  line_id: string | null;
  /** JSON: what the menu verified (caller ID, secret, SMS code). */
  verified: string;
  outcome: string | null;
  reference: string | null;
  agent_entry_id: string | null;
  platform_status: string | null;
  version: number;
  started_at: Ts;
  answered_at: Ts | null;
  handed_over_at: Ts | null;
  ended_at: Ts | null;
  updated_at: Ts;
}

export interface VoiceWebhooksTable {
  digest: string;
  call_sid: string;
  seen_at: Ts;
}

export interface Database {
  calls: CallsTable;
  voice_webhooks: VoiceWebhooksTable;
}

/** Inbound SMS to the short number (migration 2026-12-03T12-00-00_inbound-sms). */
export interface InboundSmsTable {
  id: string;
  smsc_id: string;
  from_number: string;
  to_number: string;
  text: string;
  received_at: Ts;
  /** 'smpp' or 'http'. */
  via: string;
  handled_at: Ts | null;
  outcome: string | null;
}

export interface Database {
  inbound_sms: InboundSmsTable;
}

/** The parts of long inbound SMS (migration 2026-12-04T10-00-00_inbound-sms-parts_smsparts). */
export interface InboundSmsPartsTable {
  id: string;
  smsc_id: string;
  from_number: string;
  to_number: string;
  ref: number;
  total: number;
  seq: number;
  /** The part's text as UTF-16BE code units, base64 (it may end in half a surrogate pair). */
  body: string;
  gsm: Flag;
  via: string;
  received_at: Ts;
  closed_at: Ts | null;
  /** 'joined', 'given_up' or 'late'. */
  outcome: string | null;
  message_id: string | null;
}

export interface Database {
  inbound_sms_parts: InboundSmsPartsTable;
}

/** The hotline's agent queue (migration 2026-12-03T11-00-00_agent-queue). */
export interface AgentQueueTable {
  id: string;
  /** 'call' (on hold) or 'callback' (asked to be called back). */
  kind: string;
  call_sid: string | null;
  language: string;
  caller_number: string;
  customer_id: string | null;
  line_id: string | null;
  /** JSON: what the voice menu verified ({caller, secret, smsCode}). */
  verified: string;
  reason: string;
  /** waiting, taken, finished or abandoned. */
  state: string;
  position_at_entry: number;
  enqueued_at: Ts;
  taken_by: string | null;
  taken_at: Ts | null;
  call_ended_at: Ts | null;
  finished_at: Ts | null;
  outcome: string | null;
  wait_seconds: number | null;
  handle_seconds: number | null;
  case_id: string | null;
  termination_ref: string | null;
}

export interface Database {
  agent_queue: AgentQueueTable;
}

/** The shop (migration 2026-12-03T12-30-00_shops); lists are JSON text. */
export interface ShopsTable {
  id: string;
  name: string;
  time_zone: string;
  languages: string;
  weekly_hours: string;
  created_at: Ts;
  updated_at: Ts;
  /** JSON object ru/en/zh (migration 2026-12-04T19-00-00_shopadmin). */
  names: string;
  address: string;
}

export interface ShopCountersTable {
  id: string;
  shop_id: string;
  label: string;
  services: string;
  languages: string;
  agent_id: string | null;
  created_at: Ts;
  out_of_service: number;
}

export interface ShopServicesTable {
  id: string;
  shop_id: string;
  letter: string;
  name_ru: string;
  name_en: string;
  name_zh: string;
  created_at: Ts;
}

export interface ShopTicketsTable {
  id: string;
  shop_id: string;
  service_id: string;
  number: string;
  local_day: string;
  language: string;
  priority: string;
  /** kiosk, site or sms. */
  source: string;
  remote: number;
  state: string;
  counter_id: string | null;
  agent_id: string | null;
  issued_at: Ts;
  arrived_at: Ts | null;
  transferred_at: Ts | null;
  called_at: Ts | null;
  recalls: number;
  /** When serving started (the holder is at the counter). */
  served_at: Ts | null;
  finished_at: Ts | null;
  customer_id: string | null;
  phone: string | null;
  notice_sent_at: Ts | null;
  document_checked_at: Ts | null;
  line_id: string | null;
  sim_outcome: string | null;
  checklist: string;
  termination_ref: string | null;
}

export interface ShopServiceTimesTable {
  ticket_id: string;
  shop_id: string;
  service_id: string;
  local_date: string;
  local_hour: number;
  wait_seconds: number;
  service_seconds: number;
  finished_at: Ts;
}

/** The lobby board's feed (migration 2026-12-04T19-00-00_board): one row per call or recall, `seq` per shop. */
export interface ShopCallsTable {
  shop_id: string;
  seq: number;
  ticket_id: string;
  number: string;
  counter_id: string | null;
  counter_label: string;
  called_at: Ts;
  recalls: number;
}

export interface ShopBoardCursorsTable {
  shop_id: string;
  seq: number;
}

export interface Database {
  shops: ShopsTable;
  shop_counters: ShopCountersTable;
  shop_services: ShopServicesTable;
  shop_tickets: ShopTicketsTable;
  shop_service_times: ShopServiceTimesTable;
  shop_calls: ShopCallsTable;
  shop_board_cursors: ShopBoardCursorsTable;
}

/** Events for other systems (migration 2026-12-04T10-00-00_events). */
export interface EventCursorsTable {
  /** 'webhooks' or 'nats'. */
  sink: string;
  /** The last audit entry this sink has taken. */
  seq: number;
  updated_at: Ts;
}

export interface WebhookSubscriptionsTable {
  id: string;
  url: string;
  /** JSON list of event types; `*` takes every type. */
  event_types: string;
  salt: string;
  active: Flag;
  created_at: Ts;
  created_by: string;
  disabled_at: Ts | null;
}

export interface Database {
  event_cursors: EventCursorsTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
}

/** Bulk runs of the back office's page (migration 2026-12-07T16-00-00_bulk-runs_bulkpage). */
export interface BulkRunsTable {
  id: string;
  file_hash: string;
  file_name: string | null;
  /** JSON: the Actor the run's orders are requested by. */
  actor: string;
  created_by: string;
  reason: string | null;
  /** running | finished */
  state: string;
  total: number;
  /** The first row (0-based) not yet done: the cursor a resumed run continues from. */
  next_seq: number;
  created: number;
  scheduled: number;
  skipped: number;
  failed: number;
  blocked: string;
  skipped_by: string;
  by_channel: string;
  created_at: Ts;
  updated_at: Ts;
  finished_at: Ts | null;
}

export interface BulkRunRowsTable {
  run_id: string;
  seq: number;
  /** The row's line in the file, for the people reading the result. */
  line_no: number;
  msisdn: string;
  /** now | end_of_period | YYYY-MM-DD */
  effective: string;
  reason: string | null;
}

export interface BulkRunResultsTable {
  run_id: string;
  seq: number;
  msisdn: string;
  outcome: string;
  reference: string | null;
  detail: string | null;
}

export interface Database {
  bulk_runs: BulkRunsTable;
  bulk_run_rows: BulkRunRowsTable;
  bulk_run_results: BulkRunResultsTable;
}
