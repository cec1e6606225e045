import { useEffect, useState } from 'react';
import { api } from './api.ts';
import { useApp } from './app-context.tsx';

interface ClockState {
  now: string;
  realNow: string;
  offsetDays: number;
}

const STEPS = [1, 14, 30] as const;

/**
 * Demo mode only (the server says so in `/public/site`), for a signed-in person: the installation's time and
 * buttons that move it forward, so cooling-off, quarantine and reminders can be walked through. `onMoved`
 * reloads the page's data.
 */
export function DemoClock({ onMoved }: { onMoved(): void }) {
  const { t, site, me, dateTime } = useApp();
  const [clock, setClock] = useState<ClockState | null>(null);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const active = site.demo === true && me !== null;
  useEffect(() => {
    if (!active) return;
    let live = true;
    api<ClockState>('GET', '/demo/clock').then(
      (c) => live && setClock(c),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [active]);
  if (!active || (!clock && !failed)) return null;
  const move = (days: number) => {
    setBusy(true);
    setFailed(false);
    api<ClockState>('POST', '/demo/clock/advance', { days })
      .then((c) => {
        setClock(c);
        onMoved();
      })
      .catch(() => setFailed(true))
      .finally(() => setBusy(false));
  };
  return (
    <section className="demo-clock" aria-labelledby="demo-clock-title">
      <h2 id="demo-clock-title">{t('demo.clockTitle')}</h2>
      {clock && (
        <p>
          {t('demo.clockNow', { date: dateTime(clock.now) })}
          {clock.offsetDays > 0 && <> {t('demo.clockMoved', { days: Math.round(clock.offsetDays) })}</>}
        </p>
      )}
      <div className="demo-clock-buttons" role="group" aria-label={t('demo.clockMove')}>
        {STEPS.map((days) => (
          <button key={days} type="button" className="secondary" disabled={busy} onClick={() => move(days)}>
            {t(`demo.clockPlus${days}`)}
          </button>
        ))}
      </div>
      {failed && <p className="error">{t('demo.clockFailed')}</p>}
    </section>
  );
}
