import { NavLink, Stack } from '@mantine/core';
import { Link, useRouterState } from '@tanstack/react-router';
import type { ClusterInfo } from '../api/types';

type Target = '/' | '/topics' | '/groups' | '/throughput' | '/supervision' | '/workload';

interface Entry {
  to: Target;
  label: string;
  feature?: keyof ClusterInfo['features'];
}

const ENTRIES: Entry[] = [
  { to: '/', label: 'Overview' },
  { to: '/topics', label: 'Topics' },
  { to: '/groups', label: 'Consumer groups' },
  { to: '/throughput', label: 'Throughput' },
  { to: '/supervision', label: 'Supervision', feature: 'supervision' },
  { to: '/workload', label: 'Workload', feature: 'workload' },
];

/** The sections of the console; those the cluster cannot offer are left out. */
export function NavLinks({
  features,
  onNavigate,
}: {
  features: ClusterInfo['features'] | undefined;
  onNavigate: () => void;
}) {
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const visible = ENTRIES.filter((e) => !e.feature || !features || features[e.feature]);
  return (
    <Stack gap={2} component="nav" aria-label="Console sections">
      {visible.map((entry) => {
        const active = entry.to === '/' ? pathname === '/' : pathname.startsWith(entry.to);
        return (
          <NavLink
            key={entry.to}
            label={entry.label}
            active={active}
            aria-current={active ? 'page' : undefined}
            onClick={onNavigate}
            renderRoot={(props) => <Link to={entry.to} {...props} />}
          />
        );
      })}
    </Stack>
  );
}
