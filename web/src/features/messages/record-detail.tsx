import { Alert, Badge, Button, CopyButton, Drawer, Group, Stack, Table, Tabs, Text } from '@mantine/core';
import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { errorMessage } from '../../api/errors';
import { useTRPC } from '../../api/trpc';
import type { ClusterRecord } from '../../api/types';
import { formatBytes } from '../../lib/format';
import { cellPreview } from '../../lib/payload';
import type { TimeZoneMode } from '../../lib/relative-time';
import { formatTimestamp } from '../../lib/time-format';
import { PageLoader } from '../../shell/page-loader';
import { PayloadView } from './payload-view';

const FIRST_FETCH = 256 * 1024;
const MAX_FETCH = 16 * 1024 * 1024;

function download(record: ClusterRecord) {
  const blob = new Blob([JSON.stringify(record, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), {
    href: url,
    download: `${record.topic}-${record.partition}-${record.offset}.json`,
  });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

interface RecordDetailProps {
  topic: string;
  /** "partition:offset", or undefined when closed. */
  record: string | undefined;
  zone: TimeZoneMode;
  onClose: () => void;
}

/** One record: metadata, headers, key and value in full (fetched in growing slices), copy and download. */
export function RecordDetail({ topic, record, zone, onClose }: RecordDetailProps) {
  const [partition, offset] = (record ?? '0:0').split(':').map(Number) as [number, number];
  const [cap, setCap] = useState(FIRST_FETCH);
  const trpc = useTRPC();
  const query = useQuery({
    ...trpc.messages.get.queryOptions({ topic, partition, offset, maxValueBytes: cap }),
    enabled: record !== undefined,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
  const r = query.data;
  const loadMore = cap < MAX_FETCH ? () => setCap((c) => Math.min(MAX_FETCH, c * 8)) : undefined;
  return (
    <Drawer
      opened={record !== undefined}
      onClose={onClose}
      position="right"
      size="xl"
      title={`Record ${partition}:${offset}`}
    >
      {query.error && <Alert color="red">{errorMessage(query.error)}</Alert>}
      {!r && !query.error && <PageLoader />}
      {r && (
        <Stack>
          <Table withRowBorders={false} verticalSpacing={2}>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th w={130}>Partition · offset</Table.Th>
                <Table.Td ff="monospace">
                  {r.partition} · {r.offset}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Timestamp</Table.Th>
                <Table.Td>
                  <Text span ff="monospace" size="sm">
                    {formatTimestamp(r.timestamp, zone)} {zone === 'utc' ? 'UTC' : 'local'}
                  </Text>{' '}
                  <Badge
                    size="sm"
                    variant="light"
                    color={r.timestampType === 'CreateTime' ? 'blue' : 'grape'}
                  >
                    {r.timestampType === 'CreateTime'
                      ? 'CreateTime · event time'
                      : 'LogAppendTime · broker time'}
                  </Badge>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {r.timestamp} ms · {formatTimestamp(r.timestamp, zone === 'utc' ? 'local' : 'utc')}{' '}
                    {zone === 'utc' ? 'local' : 'UTC'}
                  </Text>
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Size</Table.Th>
                <Table.Td>
                  {formatBytes(r.sizeBytes)} (key {formatBytes(r.key?.sizeBytes ?? 0)}, value{' '}
                  {formatBytes(r.value?.sizeBytes ?? 0)})
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
          <Group gap="xs">
            <CopyButton value={JSON.stringify(r, null, 2)}>
              {({ copied, copy }) => (
                <Button size="xs" variant="light" onClick={copy}>
                  {copied ? 'Copied' : 'Copy as JSON'}
                </Button>
              )}
            </CopyButton>
            <Button size="xs" variant="light" onClick={() => download(r)}>
              Download JSON
            </Button>
            {(r.value?.truncated || r.key?.truncated) && (
              <Text size="xs" c="dimmed">
                The copy and download hold what is loaded so far.
              </Text>
            )}
          </Group>
          <Tabs defaultValue="value" keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="value">Value</Tabs.Tab>
              <Tabs.Tab value="key">Key</Tabs.Tab>
              <Tabs.Tab value="headers">Headers ({r.headers.length})</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="value" pt="sm">
              <PayloadView
                label="Value"
                payload={r.value}
                onLoadMore={loadMore}
                loadingMore={query.isFetching}
              />
            </Tabs.Panel>
            <Tabs.Panel value="key" pt="sm">
              <PayloadView label="Key" payload={r.key} onLoadMore={loadMore} loadingMore={query.isFetching} />
            </Tabs.Panel>
            <Tabs.Panel value="headers" pt="sm">
              {r.headers.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No headers.
                </Text>
              ) : (
                <Table striped>
                  <Table.Tbody>
                    {r.headers.map((h, i) => (
                      <Table.Tr key={`${h.key}-${i}`}>
                        <Table.Th ff="monospace">{h.key}</Table.Th>
                        <Table.Td ff="monospace" fz="sm" style={{ wordBreak: 'break-all' }}>
                          {cellPreview(h.value, 2000)}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
            </Tabs.Panel>
          </Tabs>
        </Stack>
      )}
    </Drawer>
  );
}
