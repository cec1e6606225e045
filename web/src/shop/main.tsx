import { createRoot } from 'react-dom/client';
import { Board } from './board.tsx';
import { Kiosk } from './kiosk.tsx';
import { getJson } from './shop-api.ts';
import './shop.css';

// The shop's public screens, their own entry: /shop/{shopId}/kiosk and /shop/{shopId}/board. No sign-in.
const [, , shopId = '', screen = ''] = decodeURIComponent(location.pathname).split('/');
// Times are written in the operator's zone (where its shops are), not the kiosk's clock setting.
const site = await getJson<{ timezone: string }>('/api/v1/public/site', 'ru').catch(() => null);
const root = document.getElementById('root');
if (root) createRoot(root).render(screen === 'board' ? <Board shopId={shopId} /> : <Kiosk shopId={shopId} timeZone={site?.timezone} />);
