import { Alert, Button, Code, Stack, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { errorMessage, isApiMissing, isUnauthorized } from '../api/errors';
import type { ClusterInfo } from '../api/types';
import { LiveEvents } from './live-events';
import { PageLoader } from './page-loader';
import { TokenPrompt } from './token-prompt';

interface ApiGateProps {
  info: UseQueryResult<ClusterInfo, unknown>;
  /** The server said it has no console API (see useConsoleApi). */
  missing: boolean;
  children: React.ReactNode;
}

/**
 * Pages render only once the API has answered: without a token the operator is asked for one;
 * without a broker behind the server (nothing at /trpc) the console says so instead of failing
 * on every page.
 */
export function ApiGate({ info, missing, children }: ApiGateProps) {
  if (info.data) return <LiveEvents info={info.data}>{children}</LiveEvents>;
  if (isUnauthorized(info.error)) return <TokenPrompt />;
  if (missing || isApiMissing(info.error)) {
    return (
      <Alert color="yellow" title="No broker behind this console">
        <Text size="sm">
          The server answered, but it runs without the console API at <Code>/trpc</Code>: there is no cluster
          to show yet. Start Sluice with <Code>npm start</Code>: it serves the console over its embedded
          broker.
        </Text>
      </Alert>
    );
  }
  if (!info.error) return <PageLoader />;
  return (
    <Alert color="red" title="The console API is unavailable">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{errorMessage(info.error)}</Text>
        <Button size="xs" variant="light" onClick={() => void info.refetch()}>
          Try again
        </Button>
      </Stack>
    </Alert>
  );
}
