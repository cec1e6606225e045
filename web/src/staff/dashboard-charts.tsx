/**
 * The dashboard's bar charts, drawn by uPlot (a canvas chart library of about 20 KB gzipped). This module is loaded
 * only when the dashboard opens (a dynamic import from dashboard.tsx), so neither the subscriber site nor the other
 * staff pages carry the library. A canvas is no text: the chart is an image with a summary for screen readers, and
 * the page shows the same figures as a table under it; the legend is HTML, in the page's language.
 */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  readonly label: string;
  readonly color: string;
  readonly values: readonly number[];
}

export interface BarChartProps {
  /** One label per bar position, already in the reader's language (a local day, a week). */
  readonly labels: readonly string[];
  readonly series: readonly ChartSeries[];
  /** Stacked: each position's bars add up; otherwise one series. */
  readonly stacked: boolean;
  /** What the chart shows, in words: its accessible name. */
  readonly summary: string;
  readonly count: (n: number) => string;
  readonly height?: number;
}

const AXIS = { stroke: '#4a5360', font: '12px system-ui, sans-serif', grid: { stroke: '#e3e8ee', width: 1 }, ticks: { show: false } } as const;

/** Cumulative values, so a position's bars drawn from the top of the stack down look stacked. */
function stackedData(series: readonly ChartSeries[], length: number): number[][] {
  const sums = new Array<number>(length).fill(0);
  return series.map((s) => s.values.map((v, i) => (sums[i] = (sums[i] ?? 0) + v)));
}

export default function BarChart({ labels, series, stacked, summary, count, height = 220 }: BarChartProps) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const xs = labels.map((_, i) => i);
    const values = stacked ? stackedData(series, labels.length) : series.map((s) => [...s.values]);
    // Drawn tallest first: each shorter bar is painted over the one below it in the stack.
    const order = series.map((_, i) => i).reverse();
    const every = Math.max(1, Math.ceil(labels.length / 10));
    const plot = new uPlot(
      {
        width: Math.max(280, element.clientWidth),
        height,
        legend: { show: false },
        cursor: { show: false },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        scales: {
          x: { time: false, range: [-0.5, labels.length - 0.5] },
          y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.1))] },
        },
        axes: [
          { ...AXIS, splits: () => xs.filter((i) => i % every === 0), values: (_u, splits) => splits.map((i) => labels[i] ?? '') },
          { ...AXIS, size: 50, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000], values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? count(v) : '')) },
        ],
        series: [{}, ...order.map((i) => ({ label: series[i]?.label ?? '', fill: series[i]?.color ?? '#000', stroke: series[i]?.color ?? '#000', width: 0, paths: uPlot.paths.bars?.({ size: [0.7, 48] }), points: { show: false } }))],
      },
      [xs, ...order.map((i) => values[i] ?? [])],
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [labels, series, stacked, count, height]);
  return (
    <figure className="dash-chart">
      <div ref={box} role="img" aria-label={summary} />
      {series.length > 1 && (
        <figcaption>
          <ul className="dash-legend">
            {series.map((s) => (
              <li key={s.label}>
                <span className="dash-swatch" style={{ background: s.color }} aria-hidden="true" />
                {s.label}
              </li>
            ))}
          </ul>
        </figcaption>
      )}
    </figure>
  );
}
