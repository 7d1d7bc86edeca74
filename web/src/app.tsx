import { AppShell, Group, Title, Text } from '@mantine/core';

/** The console's shell. Feature pages arrive with the API (issue "The operations console"). */
export function App() {
  return (
    <AppShell header={{ height: 56 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md">
          <Title order={3}>Sluice</Title>
          <Text c="dimmed" size="sm">
            event broker console
          </Text>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <Text data-testid="shell-ready">Broker console</Text>
      </AppShell.Main>
    </AppShell>
  );
}
