import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTRPC } from '../../api/trpc';
import { fieldError } from '../../api/errors';
import { notifyError, notifySuccess } from '../../shell/notify';

/**
 * The topic changes, each refreshing the topic queries when it succeeds and notifying. Errors
 * about a form field stay next to that field instead of also popping up a notification.
 */
export function useTopicMutations(fields: string[] = []) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries(trpc.topics.pathFilter());
  const onError = (error: unknown) => {
    if (!fieldError(error, ...fields)) notifyError(error);
  };
  return {
    create: useMutation(
      trpc.topics.create.mutationOptions({
        onSuccess: (t) => {
          notifySuccess(`Topic '${t.name}' created with ${t.partitions.length} partitions`);
          return refresh();
        },
        onError,
      }),
    ),
    alterConfigs: useMutation(
      trpc.topics.alterConfigs.mutationOptions({
        onSuccess: () => {
          notifySuccess('Config updated');
          return refresh();
        },
        onError,
      }),
    ),
    addPartitions: useMutation(
      trpc.topics.addPartitions.mutationOptions({
        onSuccess: (t) => {
          notifySuccess(`Topic '${t.name}' now has ${t.partitions.length} partitions`);
          return refresh();
        },
        onError,
      }),
    ),
    purge: useMutation(
      trpc.topics.purge.mutationOptions({
        onSuccess: () => {
          notifySuccess('Records deleted');
          return refresh();
        },
        onError,
      }),
    ),
    remove: useMutation(
      trpc.topics.delete.mutationOptions({
        onSuccess: (r) => {
          notifySuccess(`Topic '${r.deleted}' deleted`);
          return refresh();
        },
        onError,
      }),
    ),
  };
}
