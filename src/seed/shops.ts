/** The demo shops (issue 14): two shops, each with its counters, service types and weekday hours. */
import type { Shop, ShopCounter, ShopService } from '../domain/shop.ts';
import type { Tx } from '../store/database.ts';
import { saveCounter, saveService, saveShop } from '../store/shops.repository.ts';

const WEEK = { open: '09:00', close: '21:00' };
const SATURDAY = { open: '10:00', close: '18:00' };

export const DEMO_SHOPS: readonly { shop: Shop; counters: Omit<ShopCounter, 'shopId' | 'agentId' | 'outOfService'>[]; services: Omit<ShopService, 'shopId'>[] }[] = [
  {
    shop: {
      id: 'shop-1',
      name: 'Tverskaya 1',
      names: { ru: 'Тверская, 1', en: 'Tverskaya 1', zh: '特维尔大街1号' },
      address: { ru: 'Москва, Тверская ул., 1', en: '1 Tverskaya St, Moscow', zh: '莫斯科特维尔大街1号' },
      timeZone: 'Europe/Moscow', languages: ['ru', 'en', 'zh'], weeklyHours: { mon: [WEEK], tue: [WEEK], wed: [WEEK], thu: [WEEK], fri: [WEEK], sat: [SATURDAY] } },
    services: [
      { id: 'shop-1-C', letter: 'C', names: { ru: 'Расторжение договора', en: 'Cancel a contract', zh: '注销合约' } },
      { id: 'shop-1-S', letter: 'S', names: { ru: 'SIM-карта и номер', en: 'SIM card and number', zh: 'SIM 卡与号码' } },
    ],
    counters: [
      { id: 'shop-1-w1', label: '1', services: ['shop-1-C', 'shop-1-S'], languages: ['ru', 'en'] },
      { id: 'shop-1-w2', label: '2', services: ['shop-1-C'], languages: ['ru', 'zh'] },
      { id: 'shop-1-w3', label: '3', services: ['shop-1-S'], languages: ['ru'] },
    ],
  },
  {
    shop: {
      id: 'shop-2',
      name: 'Nevsky 20',
      names: { ru: 'Невский, 20', en: 'Nevsky 20' },
      address: { ru: 'Санкт-Петербург, Невский пр., 20', en: '20 Nevsky Prospekt, Saint Petersburg' },
      timeZone: 'Europe/Moscow', languages: ['ru', 'en'], weeklyHours: { mon: [WEEK], tue: [WEEK], wed: [WEEK], thu: [WEEK], fri: [WEEK] } },
    services: [{ id: 'shop-2-C', letter: 'C', names: { ru: 'Расторжение договора', en: 'Cancel a contract', zh: '注销合约' } }],
    counters: [
      { id: 'shop-2-w1', label: '1', services: ['shop-2-C'], languages: ['ru', 'en'] },
      { id: 'shop-2-w2', label: '2', services: ['shop-2-C'], languages: ['ru'] },
    ],
  },
];

export async function seedShops(tx: Tx, now: string): Promise<void> {
  for (const { shop, services, counters } of DEMO_SHOPS) {
    await saveShop(tx, shop, now);
    for (const s of services) await saveService(tx, { ...s, shopId: shop.id }, now);
    for (const c of counters) await saveCounter(tx, { ...c, shopId: shop.id, agentId: null, outOfService: false }, now);
  }
}
