/**
 * Kafka's topic name rule, checked as the operator types. The server checks it again; this copy
 * only saves a round trip (the browser imports nothing but types from the server).
 */
export function topicNameError(name: string): string | null {
  if (name.length === 0) return 'Topic name must not be empty';
  if (name.length > 249) return 'Topic name must be at most 249 characters';
  if (!/^[a-zA-Z0-9._-]+$/.test(name)) return "Topic name may contain only letters, digits, '.', '_' and '-'";
  if (name === '.' || name === '..') return "Topic name cannot be '.' or '..'";
  return null;
}
