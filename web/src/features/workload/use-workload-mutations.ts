import { useMutation, useQueryClient } from '@tanstack/react-query';
import { fieldError } from '../../api/errors';
import { useTRPC } from '../../api/trpc';
import { notifyError, notifySuccess } from '../../shell/notify';

const FORM_FIELDS = ['topic', 'ratePerSec', 'recordBytes', 'groupId', 'members'];

/** Workload changes; each refreshes the status and the groups (members change groups). */
export function useWorkloadMutations() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => {
    void queryClient.invalidateQueries(trpc.workload.status.pathFilter());
    void queryClient.invalidateQueries(trpc.groups.pathFilter());
  };
  const onError = (error: unknown) => {
    if (!fieldError(error, ...FORM_FIELDS)) notifyError(error);
  };
  const options = (message: string) => ({ onSuccess: () => (notifySuccess(message), refresh()), onError });
  return {
    startProducer: useMutation(trpc.workload.startProducer.mutationOptions(options('Producer started'))),
    stopProducer: useMutation(trpc.workload.stopProducer.mutationOptions(options('Producer stopped'))),
    startGroup: useMutation(
      trpc.workload.startConsumerGroup.mutationOptions(options('Consumer group started')),
    ),
    addMember: useMutation(
      trpc.workload.addMember.mutationOptions(options('Member added: the group rebalances')),
    ),
    removeMember: useMutation(
      trpc.workload.removeMember.mutationOptions(options('Member removed: the group rebalances')),
    ),
    stopGroup: useMutation(
      trpc.workload.stopConsumerGroup.mutationOptions(options('Consumer group stopped')),
    ),
  };
}
