"""Measuring one child process (wall, CPU, peak memory), dropping the page cache, sizing a
directory, and proving a restored tree equals its source (a manifest of every entry)."""
import hashlib
import os
import signal
import stat
import subprocess
import time

TAIL = 1500  # characters of stderr kept for a failed step


class Run:
    """What one child process did: wall seconds, user+sys CPU seconds, peak RSS in bytes, exit
    code, and its stdout and stderr (stderr trimmed to its tail)."""

    def __init__(self, wall, cpu, rss, rc, out, err, timed_out=False):
        self.wall, self.cpu, self.rss, self.rc = wall, cpu, rss, rc
        self.out, self.err, self.timed_out = out, err, timed_out

    def err_tail(self):
        text = self.err.strip() or self.out.strip()
        return ("(timed out) " if self.timed_out else "") + text[-TAIL:]


def run(cmd, log_prefix, cwd=None, env=None, timeout=1800, keep_output=True):
    """Runs cmd to completion (killed with its process group after `timeout` seconds) and
    measures it with wait4, so the figures are the child's alone (and its waited-for children),
    never this script's. Output goes to files (log_prefix.out/.err), not pipes, so a chatty
    child never blocks and the runner's reading costs it nothing; keep_output=False leaves a
    binary stdout unread."""
    out_path, err_path = log_prefix + ".out", log_prefix + ".err"
    start = time.perf_counter()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        try:
            p = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                 stderr=err, start_new_session=True)
        except OSError as e:
            return Run(0.0, 0.0, 0, 127, "", f"cannot start {cmd[0]}: {e}")
        timed_out = False
        while True:
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > timeout:
                timed_out = True
                os.killpg(p.pid, signal.SIGKILL)  # our own child's group, nothing else
                _, status, usage = os.wait4(p.pid, 0)
                break
            time.sleep(0.01)
    wall = time.perf_counter() - start
    p.returncode = os.waitstatus_to_exitcode(status)  # tell Popen the child is reaped
    stdout = ""
    if keep_output:
        with open(out_path, "rb") as f:
            stdout = f.read().decode(errors="replace")
    with open(err_path, "rb") as f:
        stderr = f.read()[-64 * 1024:].decode(errors="replace")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, p.returncode,
               stdout, stderr, timed_out)


def drop_caches():
    """Writes dirty pages out and drops the page cache, dentries and inodes (needs root).
    Returns False when not allowed, so the caller labels its 'cold' figures honestly."""
    os.sync()
    try:
        with open("/proc/sys/vm/drop_caches", "w") as f:
            f.write("3\n")
        return True
    except OSError:
        return False


def du_bytes(top):
    """Apparent size of everything under top (what `du -sb` prints), hard links counted once."""
    total, seen = 0, set()
    for root, dirs, files in os.walk(top):
        for name in dirs + files:
            st = os.lstat(os.path.join(root, name))
            if st.st_nlink > 1 and not stat.S_ISDIR(st.st_mode):
                if (st.st_dev, st.st_ino) in seen:
                    continue
                seen.add((st.st_dev, st.st_ino))
            total += st.st_size
    return total


def data_bytes(top):
    """Bytes of file content under top, each hard-linked file once: the 'dataset size'."""
    total, seen = 0, set()
    for root, _, files in os.walk(top):
        for name in files:
            st = os.lstat(os.path.join(root, name))
            if stat.S_ISREG(st.st_mode) and (st.st_dev, st.st_ino) not in seen:
                seen.add((st.st_dev, st.st_ino))
                total += st.st_size
    return total


def manifest(top):
    """{relative path (bytes): (kind, permission bits, size, sha256 or link target)} for every
    entry under top, plus {relative path: first path of its hard-link group} and
    {relative path: mtime ns} for the checks that are reported but not required."""
    entries, links, mtimes, first_of = {}, {}, {}, {}
    top = os.fsencode(top)
    for root, dirs, files in os.walk(top):
        dirs.sort()
        for name in sorted(dirs + files):
            path = os.path.join(root, name)
            rel = os.path.relpath(path, top)
            st = os.lstat(path)
            perm = stat.S_IMODE(st.st_mode)
            if stat.S_ISLNK(st.st_mode):
                entries[rel] = ("link", 0, 0, os.readlink(path))
            elif stat.S_ISDIR(st.st_mode):
                entries[rel] = ("dir", perm, 0, b"")
                continue
            elif stat.S_ISREG(st.st_mode):
                with open(path, "rb") as f:
                    digest = hashlib.file_digest(f, "sha256").digest()
                entries[rel] = ("file", perm, st.st_size, digest)
                if st.st_nlink > 1:
                    links[rel] = first_of.setdefault((st.st_dev, st.st_ino), rel)
            else:
                entries[rel] = ("other", perm, 0, b"")
            mtimes[rel] = st.st_mtime_ns
    return entries, links, mtimes


def compare(source, restored):
    """Differences between two manifests as {category: [paths]}. 'missing', 'extra', 'type',
    'content', 'mode' and 'target' make a restore wrong; 'hardlink' (a group split into copies)
    and 'mtime' are reported beside."""
    src, src_links, src_times = source
    dst, dst_links, dst_times = restored
    diff = {k: [] for k in ("missing", "extra", "type", "content", "mode", "target", "hardlink",
                            "mtime")}
    for rel, (kind, perm, size, what) in src.items():
        got = dst.get(rel)
        if got is None:
            diff["missing"].append(rel)
            continue
        if got[0] != kind:
            diff["type"].append(rel)
        elif kind == "file" and (got[2] != size or got[3] != what):
            diff["content"].append(rel)
        elif kind == "link" and got[3] != what:
            diff["target"].append(rel)
        if kind != "link" and got[1] != perm:
            diff["mode"].append(rel)
        if kind != "dir" and src_times.get(rel) != dst_times.get(rel):
            diff["mtime"].append(rel)
        if rel in src_links and dst_links.get(rel) != src_links[rel]:
            diff["hardlink"].append(rel)
    diff["extra"] = [rel for rel in dst if rel not in src]
    return diff


REQUIRED = ("missing", "extra", "type", "content", "mode", "target")


def describe(diff):
    """'identical' or a one-line summary naming a few paths per difference."""
    parts = []
    for k, paths in diff.items():
        if paths:
            shown = ", ".join(os.fsdecode(p) for p in paths[:3])
            parts.append(f"{len(paths)} {k} ({shown}{', ...' if len(paths) > 3 else ''})")
    return "; ".join(parts) if parts else "identical"


def find_dir(top, name):
    """The shallowest directory called `name` under top (tools restore a backed-up directory
    under its relative or its absolute path), or None."""
    level = [os.fsencode(top)]
    name = os.fsencode(name)
    while level:
        nxt = []
        for d in level:
            try:
                with os.scandir(d) as it:
                    subs = [e.path for e in it if e.is_dir(follow_symlinks=False)]
            except OSError:
                continue
            for s in subs:
                if os.path.basename(s) == name:
                    return s
            nxt.extend(subs)
        level = nxt
    return None
