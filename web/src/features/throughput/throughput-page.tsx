export function ThroughputPage() {
  return null;
}
