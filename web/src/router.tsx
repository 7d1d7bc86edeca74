import { createRootRoute, createRoute, createRouter, lazyRouteComponent } from '@tanstack/react-router';
import { AppLayout } from './shell/app-layout';
import { NotFound } from './shell/not-found';
import { PageLoader } from './shell/page-loader';
import { PageError } from './shell/page-error';
import { overviewSearchSchema } from './features/overview/search';
import { topicSearchSchema, topicsSearchSchema } from './features/topics/search';
import { groupSearchSchema, groupsSearchSchema } from './features/groups/search';
import { throughputSearchSchema } from './features/throughput/search';
import { supervisionSearchSchema } from './features/supervision/search';

/**
 * Code-based routes. Every page is a lazy chunk (the charts library and the date pickers load only
 * with the pages that use them); each route validates its search params, so every view's state is
 * in its URL and a shared link reopens it.
 */
const rootRoute = createRootRoute({ component: AppLayout, notFoundComponent: NotFound });

const overviewRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  validateSearch: overviewSearchSchema,
  component: lazyRouteComponent(() => import('./features/overview/overview-page'), 'OverviewPage'),
});

const topicsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/topics',
  validateSearch: topicsSearchSchema,
  component: lazyRouteComponent(() => import('./features/topics/topics-page'), 'TopicsPage'),
});

const topicRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/topics/$topic',
  validateSearch: topicSearchSchema,
  component: lazyRouteComponent(() => import('./features/topics/topic-page'), 'TopicPage'),
});

const groupsRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/groups',
  validateSearch: groupsSearchSchema,
  component: lazyRouteComponent(() => import('./features/groups/groups-page'), 'GroupsPage'),
});

const groupRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/groups/$groupId',
  validateSearch: groupSearchSchema,
  component: lazyRouteComponent(() => import('./features/groups/group-page'), 'GroupPage'),
});

const throughputRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/throughput',
  validateSearch: throughputSearchSchema,
  component: lazyRouteComponent(() => import('./features/throughput/throughput-page'), 'ThroughputPage'),
});

const supervisionRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/supervision',
  validateSearch: supervisionSearchSchema,
  component: lazyRouteComponent(() => import('./features/supervision/supervision-page'), 'SupervisionPage'),
});

const workloadRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/workload',
  component: lazyRouteComponent(() => import('./features/workload/workload-page'), 'WorkloadPage'),
});

const routeTree = rootRoute.addChildren([
  overviewRoute,
  topicsRoute,
  topicRoute,
  groupsRoute,
  groupRoute,
  throughputRoute,
  supervisionRoute,
  workloadRoute,
]);

export const router = createRouter({
  routeTree,
  defaultPreload: 'intent',
  defaultPendingComponent: PageLoader,
  defaultErrorComponent: PageError,
  scrollRestoration: true,
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
