import { Badge, Group, Text, Tree, getTreeExpandedState, useTree, type TreeNodeData } from '@mantine/core';
import { useMemo } from 'react';
import type { ActorNode } from '../../api/types';
import { ACTOR_STATE_COLOR } from './actor-state';

function toTreeData(node: ActorNode): TreeNodeData {
  return {
    value: node.path,
    label: node.name,
    children: node.children.map(toTreeData),
    nodeProps: { actor: node },
  };
}

function ancestors(path: string | undefined): string[] {
  const parts = path?.split('/') ?? [];
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join('/'));
}

interface ActorTreeProps {
  root: ActorNode;
  selected: string | undefined;
  onSelect: (path: string) => void;
}

/**
 * The supervision tree, live. Mantine's Tree gives keyboard navigation (arrows move and expand,
 * Enter or Space selects); each node shows its state, restart count and whether it has failed.
 */
export function ActorTree({ root, selected, onSelect }: ActorTreeProps) {
  const data = useMemo(() => [toTreeData(root)], [root]);
  // Opens on the top two levels and on the way to the selected actor; later choices are the operator's.
  const tree = useTree({
    initialExpandedState: getTreeExpandedState(data, [
      root.path,
      ...root.children.map((c) => c.path),
      ...ancestors(selected),
    ]),
  });
  return (
    <Tree
      data={data}
      tree={tree}
      levelOffset="md"
      expandOnClick={false}
      aria-label="Supervision tree"
      renderNode={({ node, expanded, hasChildren, elementProps }) => {
        const actor = (node.nodeProps as { actor: ActorNode }).actor;
        return (
          <Group
            gap={6}
            wrap="nowrap"
            {...elementProps}
            onClick={(event) => {
              elementProps.onClick(event);
              onSelect(actor.path);
              if (hasChildren) tree.toggleExpanded(actor.path);
            }}
            onKeyDown={(event: React.KeyboardEvent) => {
              if (event.key === 'Enter') onSelect(actor.path);
            }}
            py={2}
            bg={selected === actor.path ? 'var(--mantine-color-default-hover)' : undefined}
          >
            <Text size="xs" w={12} c="dimmed" aria-hidden>
              {hasChildren ? (expanded ? '▾' : '▸') : ''}
            </Text>
            <Text size="sm" fw={selected === actor.path ? 600 : 400}>
              {actor.name}
            </Text>
            <Badge size="xs" variant="light" color={ACTOR_STATE_COLOR[actor.state]}>
              {actor.state}
            </Badge>
            {actor.restarts > 0 && (
              <Badge size="xs" variant="outline" color="orange">
                {actor.restarts} restarts
              </Badge>
            )}
            {actor.lastError && (
              <Text size="xs" c="red" truncate maw={240} title={actor.lastError.message}>
                {actor.lastError.message}
              </Text>
            )}
          </Group>
        );
      }}
    />
  );
}
