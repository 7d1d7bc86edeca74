/**
 * "name=value" lines, as in a Kafka .properties file, for configs the form has no field for.
 * Blank lines and # comments are skipped.
 */
export function parseConfigLines(text: string): { configs: Record<string, string>; error: string | null } {
  const configs: Record<string, string> = {};
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return { configs, error: `Line ${i + 1}: expected name=value` };
    const name = line.slice(0, eq).trim();
    if (!/^[a-z0-9]+(?:\.[a-z0-9]+)*$/.test(name)) {
      return {
        configs,
        error: `Line ${i + 1}: '${name}' is not a config name (lowercase words separated by dots)`,
      };
    }
    configs[name] = line.slice(eq + 1).trim();
  }
  return { configs, error: null };
}
