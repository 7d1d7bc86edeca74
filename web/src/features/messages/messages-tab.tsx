import '@mantine/dates/styles.css';
import { Alert, Button, Group, Stack, Switch, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { keepPreviousData, skipToken, useQuery } from '@tanstack/react-query';
import { getRouteApi } from '@tanstack/react-router';
import { errorMessage, isFieldError } from '../../api/errors';
import { useTRPC } from '../../api/trpc';
import type { TopicDescription } from '../../api/types';
import { formatCount } from '../../lib/format';
import { ProduceModal } from './produce-modal';
import { MessagesTable } from './messages-table';
import { RecordDetail } from './record-detail';
import { resolveSeek } from './resolve-seek';
import { SeekForm, type SeekDraft } from './seek-form';
import { useLiveTail } from './use-live-tail';

const route = getRouteApi('/topics/$topic');
const PAGE_SIZE = 200;
const PREVIEW_BYTES = 512;

/** Browse a topic: seek, filter, page, tail live, open a record, produce one. */
export function MessagesTab({ topic }: { topic: TopicDescription }) {
  const trpc = useTRPC();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const [producing, setProducing] = useState(false);
  const timestampType = topic.configs.find((c) => c.name === 'message.timestamp.type')?.value ?? 'CreateTime';
  const seekKey = JSON.stringify([
    search.mode,
    search.partition,
    search.offset,
    search.at,
    search.from,
    search.to,
    search.tz,
  ]);
  const endOffsets = topic.partitions.map((p) => p.endOffset);
  // Relative times resolve once per URL change; end offsets are those of when the seek was applied.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const resolved = useMemo(() => resolveSeek(search, Date.now(), endOffsets), [seekKey]);
  const filter = { key: search.key, value: search.value, header: search.header };
  const partitions =
    search.mode !== 'offset' && search.partition !== undefined ? [search.partition] : undefined;

  const page = useQuery({
    ...trpc.messages.read.queryOptions(
      resolved.ok && !search.live
        ? {
            topic: topic.name,
            seek: resolved.seek,
            partitions,
            filter,
            limit: PAGE_SIZE,
            previewBytes: PREVIEW_BYTES,
            cursor: search.cursor,
          }
        : skipToken,
    ),
    placeholderData: keepPreviousData,
  });
  const tail = useLiveTail(
    { topic: topic.name, partitions, filter, previewBytes: PREVIEW_BYTES },
    search.live,
  );

  const update = (patch: Partial<typeof search>) =>
    void navigate({ search: (prev) => ({ ...prev, ...patch }), replace: true });
  const apply = (draft: SeekDraft) =>
    void navigate({ search: (prev) => ({ ...prev, ...draft, cursor: undefined, record: undefined }) });
  const records = search.live ? tail.records : (page.data?.records ?? []);
  const fieldLevel = isFieldError(page.error, 'offset', 'partition', 'to', 'from');

  return (
    <Stack>
      <SeekForm
        search={search}
        partitions={topic.partitions.length}
        seekErrors={resolved.ok ? {} : resolved.errors}
        readError={page.error}
        onApply={apply}
      />
      <Group justify="space-between">
        <Group gap="sm">
          <Switch
            label="Live tail"
            checked={search.live}
            onChange={(e) => update({ live: e.currentTarget.checked, cursor: undefined })}
          />
          <Button
            size="xs"
            variant="default"
            disabled={search.live || !page.data?.prevCursor}
            onClick={() => update({ cursor: page.data?.prevCursor ?? undefined })}
          >
            ‹ Previous page
          </Button>
          <Button
            size="xs"
            variant="default"
            disabled={search.live || !page.data?.nextCursor}
            onClick={() => update({ cursor: page.data?.nextCursor ?? undefined })}
          >
            Next page ›
          </Button>
          <Text size="sm" c="dimmed" aria-live="polite">
            {search.live
              ? `${formatCount(tail.records.length)} new records${tail.status === 'connecting' ? ' · connecting…' : ''}`
              : page.data
                ? `${formatCount(page.data.records.length)} records${page.data.scanned > page.data.records.length ? ` of ${formatCount(page.data.scanned)} scanned` : ''}${page.isFetching ? ' · loading…' : ''}`
                : ''}
          </Text>
        </Group>
        <Button size="xs" onClick={() => setProducing(true)}>
          Produce
        </Button>
      </Group>
      {page.error && !fieldLevel && <Alert color="red">{errorMessage(page.error)}</Alert>}
      {tail.error && <Alert color="red">{errorMessage(tail.error)}</Alert>}
      {records.length === 0 && !page.isFetching ? (
        <Text c="dimmed">{search.live ? 'Waiting for new records…' : 'No records here.'}</Text>
      ) : (
        <MessagesTable
          records={records}
          zone={search.tz}
          timestampType={timestampType}
          selected={search.record}
          follow={search.live || search.mode === 'newest'}
          onOpen={(r) => update({ record: `${r.partition}:${r.offset}` })}
        />
      )}
      <RecordDetail
        key={search.record}
        topic={topic.name}
        record={search.record}
        zone={search.tz}
        onClose={() => update({ record: undefined })}
      />
      <ProduceModal
        topic={topic.name}
        partitions={topic.partitions.length}
        timestampType={timestampType}
        zone={search.tz}
        opened={producing}
        onClose={() => setProducing(false)}
      />
    </Stack>
  );
}
