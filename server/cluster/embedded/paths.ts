/**
 * Actor paths: the runtime names them from its root with a leading slash ("/broker/topics/a/0"),
 * the Cluster interface without one ("broker/topics/a/0", what the console puts in URLs).
 */
export function toClusterPath(path: string): string {
  return path.startsWith('/') ? path.slice(1) : path;
}

export function toBrokerPath(path: string): string {
  return path.startsWith('/') ? path : `/${path}`;
}
