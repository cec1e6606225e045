import { createContext, useContext } from 'react';
import type { SiteInfo } from './api.ts';
import { formatDate, formatDateTime, formatMoney, type Language, type MessageKey, translate, translateOr } from './i18n/index.ts';

export interface Me {
  kind: string;
  id: string;
  name: string;
}

export interface AppState {
  language: Language;
  setLanguage(language: Language): void;
  site: SiteInfo;
  me: Me | null;
  setMe(me: Me | null): void;
  navigate(path: string): void;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp() {
  const state = useContext(AppContext);
  if (!state) throw new Error('outside the app');
  const { language, site } = state;
  return {
    ...state,
    t: (key: MessageKey, values?: Record<string, string | number>) => translate(language, key, values),
    /** Words for a key made from data (`event.charges_accepted`), or the fallback's when there are none. */
    tOr: (key: string, fallback: MessageKey, values?: Record<string, string | number>) => translateOr(language, key, fallback, values),
    money: (minor: number, currency = site.currency) => formatMoney(language, minor, currency),
    dateTime: (iso: string) => formatDateTime(language, iso, site.timezone),
    date: (iso: string) => formatDate(language, iso, site.timezone),
  };
}
