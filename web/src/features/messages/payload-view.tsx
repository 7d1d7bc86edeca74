import { Button, Code, Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { Payload } from '../../api/types';
import { formatBytes, formatCount } from '../../lib/format';
import {
  capText,
  detectFormat,
  hexDump,
  payloadBytes,
  prettyJson,
  type PayloadFormat,
} from '../../lib/payload';

/** Characters (or bytes, in hex) rendered at first; "Show more" multiplies it. */
const FIRST_RENDER = 64 * 1024;

interface PayloadViewProps {
  label: string;
  payload: Payload | null;
  /** Fetch more of a truncated value from the server. */
  onLoadMore?: () => void;
  loadingMore?: boolean;
}

/**
 * A key or value as text, pretty JSON or hex. Rendering is capped (a 10 MB value would freeze the
 * page) and grows on demand; a value the server truncated can be fetched further.
 */
export function PayloadView({ label, payload, onLoadMore, loadingMore }: PayloadViewProps) {
  const detected: PayloadFormat = payload ? detectFormat(payload) : 'text';
  // null follows what the bytes look like, also after more of a truncated value was loaded
  const [format, setFormat] = useState<PayloadFormat | null>(null);
  const [limit, setLimit] = useState(FIRST_RENDER);
  const view = format === null || (format === 'json' && detected !== 'json') ? detected : format;
  const rendered = useMemo(() => {
    if (!payload) return { shown: '', remaining: 0 };
    if (view === 'binary') {
      const bytes = payloadBytes(payload);
      return { shown: hexDump(bytes, limit), remaining: Math.max(0, bytes.length - limit) };
    }
    const text = view === 'json' ? (prettyJson(payload.data) ?? payload.data) : payload.data;
    return capText(text, limit);
  }, [payload, view, limit]);

  if (!payload) {
    return (
      <Text size="sm" c="dimmed">
        {label} is null{label === 'Value' ? ' (a tombstone)' : ''}.
      </Text>
    );
  }
  const options = [
    { value: 'text', label: 'Text', disabled: payload.encoding === 'base64' },
    { value: 'json', label: 'JSON', disabled: detected !== 'json' },
    { value: 'binary', label: 'Hex' },
  ];
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <SegmentedControl
          size="xs"
          aria-label={`${label} format`}
          value={view}
          onChange={(v) => setFormat(v as PayloadFormat)}
          data={options}
        />
        <Text size="xs" c="dimmed">
          {formatBytes(payload.sizeBytes)}
          {payload.truncated && ` · first ${formatBytes(payloadBytes(payload).length)} loaded`}
        </Text>
      </Group>
      {payload.truncated && detected !== 'json' && payload.encoding === 'utf8' && (
        <Text size="xs" c="dimmed">
          Load the whole value to format it as JSON.
        </Text>
      )}
      <Code
        block
        style={{ maxHeight: 480, overflow: 'auto', whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}
      >
        {rendered.shown}
      </Code>
      <Group gap="xs">
        {rendered.remaining > 0 && (
          <Button size="compact-xs" variant="light" onClick={() => setLimit((l) => l * 4)}>
            Show more (
            {view === 'binary'
              ? formatBytes(rendered.remaining)
              : `${formatCount(rendered.remaining)} characters`}{' '}
            hidden)
          </Button>
        )}
        {payload.truncated && onLoadMore && (
          <Button size="compact-xs" variant="light" loading={loadingMore} onClick={onLoadMore}>
            Load more of the {label.toLowerCase()}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
