import { useComputedColorScheme } from '@mantine/core';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { SeriesPoint } from '../lib/ring-buffer';
import type { TimeZoneMode } from '../lib/relative-time';
import { formatClock, formatTimestamp } from '../lib/time-format';
import { timeTicks } from './time-ticks';

export interface ChartLine<K extends string> {
  key: K;
  label: string;
  color: string;
}

export interface ChartMarker {
  t: number;
  label: string;
}

interface TimeChartProps<K extends string> {
  data: SeriesPoint<K>[];
  lines: ChartLine<K>[];
  from: number;
  to: number;
  zone: TimeZoneMode;
  formatValue: (value: number) => string;
  /** Rebalances: a dashed vertical line each. */
  markers?: ChartMarker[];
  height?: number;
  title: string;
}

/**
 * A time chart as DESIGN asks: a numeric time axis fixed to the window (so time runs at a steady
 * pace even when points are missing), no animation (points arrive every second), markers for
 * rebalances.
 */
export function TimeChart<K extends string>(props: TimeChartProps<K>) {
  const { data, lines, from, to, zone, formatValue, markers = [], height = 240, title } = props;
  const dark = useComputedColorScheme('light') === 'dark';
  const axis = dark ? '#909296' : '#495057';
  return (
    <div role="img" aria-label={title}>
      <LineChart
        responsive
        style={{ width: '100%', height }}
        data={data}
        margin={{ top: 12, right: 16, left: 8, bottom: 0 }}
      >
        <CartesianGrid strokeDasharray="3 3" stroke={dark ? '#373a40' : '#dee2e6'} />
        <XAxis
          dataKey="t"
          type="number"
          scale="time"
          domain={[from, to]}
          ticks={timeTicks(from, to)}
          allowDataOverflow
          tickFormatter={(t: number) => formatClock(t, zone)}
          stroke={axis}
          minTickGap={40}
        />
        <YAxis tickFormatter={formatValue} stroke={axis} width={80} />
        <Tooltip
          labelFormatter={(t) => formatTimestamp(Number(t), zone, false)}
          formatter={(value) => formatValue(Number(value))}
          contentStyle={dark ? { background: '#25262b', borderColor: '#373a40' } : undefined}
        />
        <Legend />
        {lines.map((line) => (
          <Line
            key={line.key}
            dataKey={line.key}
            name={line.label}
            stroke={line.color}
            dot={false}
            strokeWidth={2}
            isAnimationActive={false}
            connectNulls={false}
          />
        ))}
        {markers
          .filter((m) => m.t >= from && m.t <= to)
          .map((m) => (
            <ReferenceLine
              key={`${m.t}-${m.label}`}
              x={m.t}
              stroke="#f59f00"
              strokeDasharray="4 3"
              label={{ value: m.label, position: 'insideTopLeft', fill: '#f59f00', fontSize: 11 }}
            />
          ))}
      </LineChart>
    </div>
  );
}
