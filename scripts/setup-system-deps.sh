#!/usr/bin/env bash
# Installs the Debian packages the test suite needs (the browser for Playwright and the Kafka
# clients of the compatibility matrix, and the zstd CLI whose frames the codec tests decode). Idempotent: does nothing when everything is present.
# As root it installs with apt-get; otherwise it stops and prints the exact command to run.
set -euo pipefail

need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v kcat >/dev/null 2>&1 || need+=(kcat)
command -v zstd >/dev/null 2>&1 || need+=(zstd)
/usr/bin/python3 -c 'import kafka' >/dev/null 2>&1 || need+=(python3-kafka)
/usr/bin/python3 -c 'import confluent_kafka' >/dev/null 2>&1 || need+=(python3-confluent-kafka)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "sluice: missing system packages: ${need[*]}" >&2
  echo "sluice: install them with: sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi

echo "sluice: installing system packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "sluice: system packages installed"
