#!/usr/bin/env bash
# `npm test`: every check the project has, in the order that fails fastest.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-system-deps.sh
echo "== typecheck";   npx tsc --noEmit -p tsconfig.json
echo "== lint";        npx eslint . --max-warnings=0
echo "== format";      npx prettier --check . --log-level warn
echo "== unit and integration (vitest)"; npx vitest run
echo "== build the console"; npx vite build --logLevel warn
echo "== end to end (playwright, Debian chromium)"; npx playwright test
