import { createRoot } from 'react-dom/client';
import { api, restoreSession, type SiteInfo } from './api.ts';
import { App } from './app.tsx';
import type { Me } from './app-context.tsx';
import './styles.css';

const [site, me] = await Promise.all([api<SiteInfo>('GET', '/public/site'), restoreSession().then((found): Me | null => found?.principal ?? null, () => null)]);
const root = document.getElementById('root');
if (root) createRoot(root).render(<App site={site} me={me} />);
