#!/usr/bin/env python3
"""Server CPU per alert: the load-insensitive measure of the intake's cost. Starts `failsafe
serve` as run.py does (alert source, webhook channel), then for each batch size runs the same
wrk script and reads the server's utime+stime from /proc/PID/stat before and after; prints CPU
microseconds per accepted alert, alerts/s and the load average. Other processes on the machine
slow wrk down but do not change the CPU the server spends per alert.

Usage: bench/alerts/cpu_per_alert.py path/to/failsafe   (env: DURATION=5s ROUNDS=1
BATCHES=1,100 HTTP_THREADS=n; PERF=FILE records `perf record` of the server during the
last batch size's rounds into FILE, PERF_CALL_GRAPH=dwarf for exact stacks)"""
import os, resource, subprocess, sys

sys.argv = sys.argv[:2]
import run  # noqa: E402  (shares the server set-up; run.py reads the binary from argv)

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14, 15)


def main():
    sink_file = os.path.join(run.work, "sink.port")
    run.start([sys.executable, os.path.join(run.HERE, "webhook_sink.py"), sink_file], "sink")
    sink_port = run.wait_port_file(sink_file)
    run.DELIVERIES = 5
    rounds = int(os.environ.get("ROUNDS", "1"))
    batches = [int(b) for b in os.environ.get("BATCHES", "1,100").split(",")]
    perf_file = os.environ.get("PERF")
    real_wrk = run.wrk

    def measure(base, token, pid):
        for batch in batches:
            perf = None
            if perf_file and batch == batches[-1]:
                graph = os.environ.get("PERF_CALL_GRAPH", "fp")  # dwarf: slower, exact stacks
                perf = subprocess.Popen(["perf", "record", "--call-graph", graph, "-e",
                                         "cpu-clock", "-o", perf_file, "-p", str(pid)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for _ in range(rounds):
                load = os.getloadavg()[0]
                before = cpu_seconds(pid)
                children = resource.getrusage(resource.RUSAGE_CHILDREN)
                r = real_wrk(base, batch, token)
                used = cpu_seconds(pid) - before
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                wrk_used = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
                accepted = r["sent"] if r["non2xx"] == 0 else 0
                us = used * 1e6 / accepted if accepted else float("nan")
                wrk_us = wrk_used * 1e6 / accepted if accepted else float("nan")
                print(f"batch {batch:3}: {us:6.2f} us CPU/alert (wrk {wrk_us:5.2f})"
                      f"  {r['alerts_per_s']:9.0f} alerts/s"
                      f"  p99 {r['p99_ms']:.2f}ms  non-2xx {r['non2xx']}  load {load:.1f}",
                      flush=True)
            if perf:
                perf.send_signal(2)
                perf.wait()

    # run_failsafe calls wrk once per batch size after its set-up: the first call measures.
    state = {}

    def hooked_wrk(base, batch, token=""):
        if not state:
            state["done"] = True
            pid = [p for p in run.procs if p.args[0] == run.BIN][0].pid
            measure(base, token, pid)
        return {"alerts_per_s": 0, "p99_ms": 0, "sent": 0, "non2xx": 0, "raw": ""}

    run.wrk = hooked_wrk
    try:
        run.run_failsafe(sink_port)
    finally:
        run.wrk = real_wrk
        for p in run.procs:
            p.send_signal(15)
        for p in run.procs:
            p.wait(15)


if __name__ == "__main__":
    main()
