import { AppShell, Badge, Burger, Group, Text, Title, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Outlet } from '@tanstack/react-router';
import { useConsoleApi } from '../api/use-console-api';
import { formatDuration } from '../lib/format';
import { ApiGate } from './api-gate';
import { NavLinks } from './nav-links';
import { ThemeToggle } from './theme-toggle';

/** The console's frame: header with the cluster's identity, navigation, and the current page. */
export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure();
  const { info, missing } = useConsoleApi();
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <Title order={3}>Sluice</Title>
            <Text c="dimmed" size="sm" visibleFrom="xs">
              event broker console
            </Text>
          </Group>
          <Group gap="sm" wrap="nowrap">
            {info.data && (
              <Tooltip label={`Up ${formatDuration(info.data.uptimeMs)} · cluster ${info.data.clusterId}`}>
                <Badge variant="light" visibleFrom="xs">
                  {info.data.kind === 'embedded' ? 'embedded' : 'external'} · {info.data.brokerVersion}
                </Badge>
              </Tooltip>
            )}
            <ThemeToggle />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <NavLinks features={info.data?.features} onNavigate={close} />
      </AppShell.Navbar>
      <AppShell.Main data-testid="shell-ready">
        <ApiGate info={info} missing={missing}>
          <Outlet />
        </ApiGate>
      </AppShell.Main>
    </AppShell>
  );
}
