import { Tabs } from '@mantine/core';
import type { ReactNode } from 'react';

/** One tab: its value in the URL, its label and its panel. */
export interface SearchTab<T extends string> {
  value: T;
  label: ReactNode;
  panel: ReactNode;
}

/** Tabs whose selection is part of the URL search; a panel is mounted only while its tab is chosen. */
export function SearchTabs<T extends string>({
  value,
  onChange,
  tabs,
}: {
  value: T;
  onChange: (value: string | null) => void;
  tabs: SearchTab<T>[];
}) {
  return (
    <Tabs value={value} onChange={onChange} keepMounted={false}>
      <Tabs.List>
        {tabs.map((t) => (
          <Tabs.Tab key={t.value} value={t.value}>
            {t.label}
          </Tabs.Tab>
        ))}
      </Tabs.List>
      {tabs.map((t) => (
        <Tabs.Panel key={t.value} value={t.value} pt="md">
          {t.panel}
        </Tabs.Panel>
      ))}
    </Tabs>
  );
}
