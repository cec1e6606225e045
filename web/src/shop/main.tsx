import { createRoot } from 'react-dom/client';
import { Board } from './board.tsx';
import { Kiosk } from './kiosk.tsx';
import './shop.css';

// The shop's public screens, their own entry: /shop/{shopId}/kiosk and /shop/{shopId}/board. No sign-in.
const [, , shopId = '', screen = ''] = decodeURIComponent(location.pathname).split('/');
const root = document.getElementById('root');
if (root) createRoot(root).render(screen === 'board' ? <Board shopId={shopId} /> : <Kiosk shopId={shopId} />);
