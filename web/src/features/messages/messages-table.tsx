import { Table, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import type { ClusterRecord } from '../../api/types';
import { formatBytes } from '../../lib/format';
import { cellPreview } from '../../lib/payload';
import type { TimeZoneMode } from '../../lib/relative-time';
import { formatTimestamp } from '../../lib/time-format';

const ROW_HEIGHT = 33;

interface MessagesTableProps {
  records: ClusterRecord[];
  zone: TimeZoneMode;
  selected: string | undefined;
  onOpen: (record: ClusterRecord) => void;
  /** Keep the newest row in view as records arrive (live tail). */
  follow: boolean;
  timestampType: string;
}

const idOf = (r: ClusterRecord) => `${r.partition}:${r.offset}`;

/**
 * Only the rows in view are in the DOM (@tanstack/react-virtual), and cells hold one-line previews,
 * so thousands of records or a 10 MB value cost the same to show. Keyboard: Tab into the table,
 * arrows move, Home/End jump, Enter opens the record.
 */
export function MessagesTable({
  records,
  zone,
  selected,
  onOpen,
  follow,
  timestampType,
}: MessagesTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const virtualizer = useVirtualizer({
    count: records.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });

  useEffect(() => {
    if (follow && records.length > 0) virtualizer.scrollToIndex(records.length - 1, { align: 'end' });
  }, [follow, records.length, virtualizer]);

  const focusRow = (index: number) => {
    const next = Math.max(0, Math.min(records.length - 1, index));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
    requestAnimationFrame(() =>
      scrollRef.current?.querySelector<HTMLElement>(`[data-row="${next}"]`)?.focus(),
    );
  };

  const onKeyDown = (event: React.KeyboardEvent, index: number, record: ClusterRecord) => {
    const moves: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      Home: 0,
      End: records.length - 1,
      PageDown: index + 15,
      PageUp: index - 15,
    };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      focusRow(target);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onOpen(record);
    }
  };

  const items = virtualizer.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  return (
    <div ref={scrollRef} style={{ height: 520, overflow: 'auto' }}>
      <Table
        stickyHeader
        highlightOnHover
        style={{ tableLayout: 'fixed' }}
        aria-rowcount={records.length}
        aria-label="Records"
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={80}>Partition</Table.Th>
            <Table.Th w={100}>Offset</Table.Th>
            <Table.Th w={250}>
              Timestamp{' '}
              <Text
                span
                size="xs"
                c="dimmed"
                title={
                  timestampType === 'CreateTime'
                    ? 'set by the producer (event time)'
                    : 'set by the broker when stored'
                }
              >
                ({timestampType}, {zone === 'utc' ? 'UTC' : 'local'})
              </Text>
            </Table.Th>
            <Table.Th w="18%">Key</Table.Th>
            <Table.Th>Value</Table.Th>
            <Table.Th w={90} ta="right">
              Size
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {top > 0 && <tr style={{ height: top }} aria-hidden />}
          {items.map((item) => {
            const r = records[item.index] as ClusterRecord;
            const id = idOf(r);
            return (
              <Table.Tr
                key={id}
                data-row={item.index}
                tabIndex={item.index === active ? 0 : -1}
                aria-rowindex={item.index + 1}
                aria-selected={selected === id}
                bg={selected === id ? 'var(--mantine-primary-color-light)' : undefined}
                style={{ cursor: 'pointer', height: ROW_HEIGHT }}
                onClick={() => {
                  setActive(item.index);
                  onOpen(r);
                }}
                onKeyDown={(e) => onKeyDown(e, item.index, r)}
              >
                <Table.Td>{r.partition}</Table.Td>
                <Table.Td ff="monospace">{r.offset}</Table.Td>
                <Table.Td ff="monospace" fz="xs">
                  {formatTimestamp(r.timestamp, zone)}
                </Table.Td>
                <Table.Td
                  ff="monospace"
                  fz="xs"
                  style={{ overflow: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis' }}
                >
                  {cellPreview(r.key, 60)}
                </Table.Td>
                <Table.Td
                  ff="monospace"
                  fz="xs"
                  style={{ overflow: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis' }}
                >
                  {cellPreview(r.value, 200)}
                </Table.Td>
                <Table.Td ta="right" fz="xs">
                  {formatBytes(r.sizeBytes)}
                </Table.Td>
              </Table.Tr>
            );
          })}
          {bottom > 0 && <tr style={{ height: bottom }} aria-hidden />}
        </Table.Tbody>
      </Table>
    </div>
  );
}
