// Hotline and shop activity whose figures are known, written straight into the tables the figures read: ten calls
// to the voice menu of which four went to the agent queue (three answered after 30, 60 and 90 seconds, one hung up
// waiting), and three shop visitors served after waiting 2, 4 and 10 minutes.
import { insertRows } from '../../src/store/bulk.ts';
import { inTransaction, type Store } from '../../src/store/database.ts';

export const SERVICE_FIGURES = { answered: 3, averageAnswerSeconds: 60, longestAnswerSeconds: 90, withoutAgentShare: 0.6, served: 3, averageWaitSeconds: 320, longestWaitSeconds: 600 };

export async function seedServiceFigures(store: Store, at: string, shop = { shopId: 'shop-1', serviceId: 'shop-1-C' }): Promise<void> {
  const plus = (seconds: number) => new Date(Date.parse(at) + seconds * 1000).toISOString();
  await inTransaction(store, async (tx) => {
    await insertRows(
      tx,
      'calls',
      Array.from({ length: 10 }, (_, i) => ({ id: `call_dash_${i}`, call_sid: `CA-dash-${i}`, from_number: `+7999555100${i}`, to_number: '+78005550000', language: 'ru', state: 'ended', data: '{}', wrong_inputs: 0, slow: 0, customer_id: null, line_id: null, verified: '{}', outcome: null, reference: null, agent_entry_id: null, platform_status: null, version: 1, started_at: plus(i), answered_at: plus(i), handed_over_at: null, ended_at: plus(i + 60), updated_at: plus(i + 60) })),
    );
    const entry = (i: number, wait: number | null) => ({
      id: `agq_dash_${i}`,
      kind: 'call',
      call_sid: `CA-dash-${i}`,
      language: i === 0 ? 'en' : 'ru',
      caller_number: `+7999555100${i}`,
      customer_id: null,
      line_id: null,
      verified: '{}',
      reason: 'caller asked for an agent',
      state: wait === null ? 'abandoned' : 'finished',
      position_at_entry: 1,
      enqueued_at: plus(i),
      taken_by: wait === null ? null : 'stf_callcentre',
      taken_at: wait === null ? null : plus(i + wait),
      call_ended_at: plus(i + 400),
      finished_at: wait === null ? null : plus(i + wait + 300),
      outcome: wait === null ? null : 'resolved',
      wait_seconds: wait ?? 45,
      handle_seconds: wait === null ? null : 300,
      case_id: null,
      termination_ref: null,
    });
    await insertRows(tx, 'agent_queue', [entry(0, 30), entry(1, 60), entry(2, 90), entry(3, null)]);
    await insertRows(
      tx,
      'shop_service_times',
      [120, 240, 600].map((wait, i) => ({ ticket_id: `tkt_dash_${i}`, shop_id: shop.shopId, service_id: shop.serviceId, local_date: at.slice(0, 10), local_hour: 12, wait_seconds: wait, service_seconds: 300, finished_at: plus(wait + 300 + i) })),
    );
  });
}
