import { useApp } from '../app-context.tsx';
import { Choices, Field } from '../ui.tsx';

export type WhenMode = 'now' | 'end_of_period' | 'date';

/** What the API takes as `effective`: the mode, or the day typed for "on a date". */
export const effectiveOf = (mode: WhenMode, day: string): string => (mode === 'date' ? day : mode);

/** When the line ends: now, at the end of the billing period, or on a date typed in the field that choice opens. */
export function WhenToEnd(props: {
  mode: WhenMode;
  onMode(mode: WhenMode): void;
  day: string;
  onDay(day: string): void;
  /** The end-of-period option as this page can say it (with the date, when it knows it). */
  endOfPeriodLabel: string;
  dateError?: string | null;
  required?: boolean;
  className?: string;
}) {
  const { t } = useApp();
  return (
    <Choices
      className={props.className}
      legend={t('preview.when')}
      name="when"
      value={props.mode}
      onChange={props.onMode}
      options={[
        ['now', t('preview.now')],
        ['end_of_period', props.endOfPeriodLabel],
        ['date', t('preview.onDate')],
      ]}
    >
      {props.mode === 'date' && <Field label={t('preview.date')} type="date" value={props.day} onChange={props.onDay} required={props.required} error={props.dateError} />}
    </Choices>
  );
}
