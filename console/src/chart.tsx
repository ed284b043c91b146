/** A point of a live series: when (ms since epoch) and the value. */
export interface Point {
  at: number;
  value: number;
}

interface ChartProps {
  title: string;
  unit: string;
  points: Point[];
  /** The time window shown, in ms, ending now. */
  windowMs: number;
  color: string;
}

const WIDTH = 480;
const HEIGHT = 120;

/** A small SVG line chart of the last `windowMs`, scaled to its largest value. */
export function Chart({ title, unit, points, windowMs, color }: ChartProps) {
  const now = points.at(-1)?.at ?? Date.now();
  const shown = points.filter((p) => p.at >= now - windowMs);
  const max = Math.max(1, ...shown.map((p) => p.value));
  const x = (at: number) => WIDTH - ((now - at) / windowMs) * WIDTH;
  const y = (value: number) => HEIGHT - (value / max) * (HEIGHT - 8);
  const line = shown.map((p) => `${x(p.at).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const last = shown.at(-1)?.value;
  return (
    <figure class="chart" aria-label={title}>
      <figcaption>
        {title}: <strong>{last == null ? '–' : `${last.toFixed(last < 10 ? 1 : 0)} ${unit}`}</strong>
        <span class="muted"> (max {max.toFixed(0)})</span>
      </figcaption>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`${title} chart`}
      >
        <line x1="0" y1={HEIGHT - 0.5} x2={WIDTH} y2={HEIGHT - 0.5} class="axis" />
        {shown.length > 1 && <polyline points={line} fill="none" stroke={color} stroke-width="2" />}
      </svg>
    </figure>
  );
}
