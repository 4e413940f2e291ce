interface Series {
  values: readonly number[];
  /** CSS class of the line (its colour). */
  className: string;
}

interface Props {
  series: Series[];
  /** Tooltip: an SVG <title>, read by screen readers too. */
  title: string;
  width?: number;
  height?: number;
  testId?: string;
}

/** A tiny inline line chart on one shared scale; no chart library, no inline styles. */
export function Sparkline({ series, title, width = 64, height = 18, testId }: Props) {
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const points = (values: readonly number[]) => {
    const step = values.length > 1 ? (width - 2) / (values.length - 1) : 0;
    // 1px inset so a flat zero line and the peak stay visible.
    return values.map((v, i) => `${(1 + i * step).toFixed(1)},${(height - 1 - (v / max) * (height - 2)).toFixed(1)}`).join(' ');
  };
  return (
    <svg className="sparkline" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title} data-testid={testId}>
      <title>{title}</title>
      {series.map((s) => (s.values.length ? <polyline key={s.className} className={s.className} points={points(s.values)} /> : null))}
    </svg>
  );
}
