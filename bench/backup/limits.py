"""The machine's limits, measured in the same run as the backups: SHA-256 and AES-256-GCM
(OpenSSL, one core), zstd levels 1 and 3 (one core) on a sample of the compressible data, and
reading the whole dataset (tar, and two parallel readers) with a cold and a warm page cache.
Cipher and zstd speeds are per CPU second, so a busy shared machine does not lower them."""
import os

import measure

MB = 1e6


def openssl_speed(alg, logs, timeout=60):
    """Bytes per second of one core on 16 KiB blocks. OpenSSL divides by the process's user
    CPU time, so neighbours on a shared machine do not lower the figure. None if it fails."""
    r = measure.run(["openssl", "speed", "-mr", "-seconds", "1", "-bytes", "16384", "-evp", alg],
                    os.path.join(logs, "openssl-" + alg), timeout=timeout)
    for line in r.out.splitlines():
        if line.startswith("+F:"):
            return float(line.split(":")[-1])
    return None


def make_sample(data, path, limit):
    """Up to `limit` bytes of the text files plus as much of the CSV table: what a backup
    compresses (the disk images are incompressible and zstd skips them)."""
    text_left = table_left = limit
    with open(path, "wb") as out:
        for root, dirs, files in os.walk(data):
            dirs.sort()
            if os.path.basename(root) == b"vm":
                continue
            for name in sorted(files):
                p = os.path.join(root, name)
                if os.path.islink(p):
                    continue
                with open(p, "rb") as f:
                    if name.endswith(b".csv"):
                        chunk = f.read(table_left)
                        table_left -= len(chunk)
                    elif text_left > 0:
                        chunk = f.read(text_left)
                        text_left -= len(chunk)
                    else:
                        continue
                out.write(chunk)
    return os.path.getsize(path)


def zstd_speed(sample, logs, levels=(1, 3), tries=3, timeout=120):
    """{level: (ratio, compress bytes/s, decompress bytes/s)} of one zstd thread on the sample,
    by CPU time (the best of `tries`): `zstd -b` divides by wall time, which on a shared
    machine measures the neighbours. Or the error text."""
    size = os.path.getsize(sample)
    packed = sample + ".zst"
    found = {}
    for level in levels:
        best = [None, None]
        for _ in range(tries):
            for i, cmd in enumerate((["zstd", f"-{level}", "-T1", "-q", "-f", sample, "-o", packed],
                                     ["zstd", "-d", "-q", "-c", packed])):
                r = measure.run(cmd, os.path.join(logs, "zstd"), timeout=timeout,
                                keep_output=False)
                if r.rc != 0:
                    return f"{' '.join(cmd)} (exit {r.rc}): {r.err_tail()[-300:]}"
                best[i] = r.cpu if best[i] is None else min(best[i], r.cpu)
        ratio = size / os.path.getsize(packed)
        found[level] = (ratio, size / max(best[0], 1e-3), size / max(best[1], 1e-3))
    os.unlink(packed)
    return found


def read_dataset(parent, name, cold, logs):
    """Reads every file of the dataset: `tar` (one reader, what a naive backup does) and
    `xargs -P2 cat` (two readers, one per core). Returns {label: Run}."""
    cmds = {
        "tar": f"set -o pipefail; tar -cf - '{name}' | cat >/dev/null",
        "2 readers": f"find '{name}' -type f -print0 | xargs -0 -n 64 -P 2 cat >/dev/null",
    }
    out = {}
    for label, cmd in cmds.items():
        if cold:
            measure.drop_caches()
        out[label] = measure.run(["bash", "-c", cmd],
                                 os.path.join(logs, "read-" + label.replace(" ", "")), cwd=parent)
    return out
