import { router } from '../trpc';
import { clusterRouter } from './cluster';
import { groupsRouter } from './groups';
import { messagesRouter } from './messages';
import { metricsRouter } from './metrics';
import { produceRouter } from './produce';
import { supervisionRouter } from './supervision';
import { topicsRouter } from './topics';
import { workloadRouter } from './workload';

/** The console's API: one router per feature. The browser imports only this type. */
export const appRouter = router({
  cluster: clusterRouter,
  topics: topicsRouter,
  messages: messagesRouter,
  produce: produceRouter,
  groups: groupsRouter,
  metrics: metricsRouter,
  supervision: supervisionRouter,
  workload: workloadRouter,
});

export type AppRouter = typeof appRouter;
