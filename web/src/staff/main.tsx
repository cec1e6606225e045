import { createRoot } from 'react-dom/client';
import { api, restoreSession, type SiteInfo } from '../api.ts';
import { StaffApp } from './staff-app.tsx';
import '../styles.css';

// The staff pages: their own entry, so the subscriber site's pages are never loaded here (nor these there).
const [site, found] = await Promise.all([api<SiteInfo>('GET', '/public/site'), restoreSession().catch(() => null)]);
const root = document.getElementById('root');
if (root) createRoot(root).render(<StaffApp site={site} initial={found?.principal ?? null} />);
