#!/usr/bin/env bash
# The metrics benchmarks (numbers in bench/metrics/README.md):
#  1. the store filled to the issue's size: 100,000 series x 6 h at 15 s;
#  2. side by side with Debian's Prometheus: both scrape the same generator of SERIES series
#     every INTERVAL s for DURATION s, then resident memory is compared.
#   bench/metrics/run.sh BUILD_DIR [SERIES] [INTERVAL] [DURATION]
# BUILD_DIR must hold a Release build of watch_metrics_bench and watch_metrics_scrape_bench.
set -euo pipefail
build=${1:?usage: run.sh BUILD_DIR [SERIES] [INTERVAL] [DURATION]}
series=${2:-100000}
interval=${3:-5}
duration=${4:-60}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
rss_mib() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }

if [ -z "${SKIP_STORE:-}" ]; then
  echo "== 1. store: 100,000 series x 6 h at 15 s"
  "$build/bin/watch_metrics_bench"
fi

echo "== 2. side by side: $series series, scraped every ${interval}s for ${duration}s"
gen_port=$(free_port)
python3 "$here/serve_series.py" "$gen_port" "$series" & pids+=($!)
prom_port=$(free_port)
cat > "$work/prometheus.yml" <<YAML
global: {scrape_interval: ${interval}s, scrape_timeout: ${interval}s}
scrape_configs:
  - job_name: bench
    static_configs: [{targets: ['127.0.0.1:$gen_port']}]
YAML
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$gen_port/metrics" && break; sleep 0.2; done
/usr/bin/prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" >"$work/prometheus.log" 2>&1 & prom_pid=$!
pids+=($prom_pid)
"$build/bin/watch_metrics_scrape_bench" "http://127.0.0.1:$gen_port/metrics" "$interval" "$duration" \
  | tee "$work/failsafe.txt"
prom_rss=$(rss_mib "$prom_pid")
prom_metrics=$(curl -s "http://127.0.0.1:$prom_port/metrics")
head_series=$(echo "$prom_metrics" | awk '/^prometheus_tsdb_head_series / {print $2}')
head_samples=$(echo "$prom_metrics" | awk '/^prometheus_tsdb_head_samples_appended_total/ {s+=$2} END {print s}')
heap=$(echo "$prom_metrics" | awk '/^go_memstats_heap_inuse_bytes / {printf "%.1f", $2/1048576}')
echo "prometheus head series $head_series samples $head_samples"
echo "prometheus RSS $prom_rss MiB (Go heap in use $heap MiB)"
ours=$(awk '/failsafe RSS/ {print $3}' "$work/failsafe.txt")
awk -v p="$prom_rss" -v f="$ours" 'BEGIN {printf "memory ratio prometheus/failsafe: %.1fx\n", p / f}'
