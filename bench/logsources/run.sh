#!/usr/bin/env bash
# Syslog intake benchmark: failsafe's UDP and TCP listeners against rsyslogd on the same
# messages in the same run (see README.md). Builds the benchmark in build-bench (Release).
# Usage: bench/logsources/run.sh [MESSAGES]   (default 400000 per run; 3 rounds, < 1 minute)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
messages=${1:-400000}
command -v rsyslogd >/dev/null || echo "rsyslogd missing (apt-get install rsyslog): failsafe alone" >&2
cmake -S "$root" -B "$root/build-bench" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFAILSAFE_TESTS=OFF >/dev/null
ninja -C "$root/build-bench" watch_logsources_bench >/dev/null
exec "$root/build-bench/bin/watch_logsources_bench" "$messages" "$(command -v rsyslogd || echo /usr/sbin/rsyslogd)"
