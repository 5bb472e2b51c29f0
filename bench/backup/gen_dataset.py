#!/usr/bin/env python3
"""Deterministic dataset for the backup benchmark (issue 6): the same bytes, names, modes and
times on every run and every machine for a given --seed and --scale.

At --scale 1 (about 1.5 GiB):
  - ~30,000 small real-text files (source code, prose, mail, configuration) in a realistic tree,
    sizes from 0 bytes to 200 KiB, ~500 MiB in all; 2 % empty, 3 % duplicates of other files,
    0.5 % with non-UTF-8 (Latin-1) names, some UTF-8 names, a few symlinks (one dangling) and
    hard links, executable and private modes;
  - 3 incompressible files of 200 MiB (seeded Mersenne Twister bytes);
  - one compressible CSV table of 400 MiB (an orders export).
Everything but the link counts scales linearly with --scale.

    gen_dataset.py OUT_DIR [--scale 1.0] [--seed 6]      create OUT_DIR (must not exist)
    gen_dataset.py OUT_DIR --mutate 5 [--seed 6]         change ~5 % of it in place

--mutate changes about PERCENT % of the bytes and files, deterministically for the same tree:
modifies text files in place (same size), appends to others, deletes and adds a few, overwrites
regions of the incompressible files and appends rows to the table.

Only integer draws from random.Random (randrange, getrandbits, randbytes, shuffle) are used:
their streams are specified by CPython for a seed, unlike float functions that go through libm.
The last line printed is the tree's fingerprint (SHA-256 over a manifest of names, types, modes,
sizes, contents, link targets and mtimes), so two machines can confirm they hold the same data.
"""
import argparse
import array
import hashlib
import os
import random
import sys

MIB = 1 << 20
KIB = 1 << 10
BASE_MTIME = 1767225600  # 2026-01-01T00:00:00Z; files are dated up to two years before it
TWO_YEARS = 2 * 365 * 86400

# (weight, min bytes, max bytes) of text file sizes: mean ~17 KiB, a long tail to 200 KiB.
SIZE_CLASSES = [
    (2, 0, 0),
    (8, 1, 100),
    (25, 100, 2 * KIB),
    (25, 2 * KIB, 8 * KIB),
    (24, 8 * KIB, 32 * KIB),
    (12, 32 * KIB, 100 * KIB),
    (3, 100 * KIB, 200 * KIB),
]

# Top-level areas of the tree: (name, share of files in per mille, file kinds there).
AREAS = [
    (b"src", 450, ["c", "h", "cc", "py", "go", "js", "sh"]),
    (b"docs", 200, ["md", "txt", "rst"]),
    (b"mail", 150, ["eml"]),
    (b"etc", 80, ["conf", "yaml", "ini"]),
    (b"home", 120, ["txt", "md", "py", "csv"]),
]
POOL_OF_KIND = {"c": "c", "h": "c", "cc": "c", "go": "c", "js": "c", "py": "py", "sh": "py",
                "md": "prose", "txt": "prose", "rst": "prose", "eml": "prose",
                "conf": "conf", "yaml": "conf", "ini": "conf", "csv": "conf"}

SYLLABLES = ("ka ri to na shi mo ve la qu en st or an ti ce ro mi da per con ex im pro re de "
             "com ma ter ly ing tion al ment ber sy fo gra lo cal ser vi net data").split()
ACCENTED = ["café", "naïve", "façade", "Zürich", "señal", "日志", "备份", "恢复", "Ελλάδα"]


class Rng(random.Random):
    """random.Random restricted to integer draws, plus the few helpers the generator needs."""

    def pick(self, seq):
        return seq[self.randrange(len(seq))]

    def weighted(self, items):
        """items: [(integer weight, value...)]; returns the chosen tuple."""
        total = sum(i[0] for i in items)
        r = self.randrange(total)
        for item in items:
            r -= item[0]
            if r < 0:
                return item
        return items[-1]

    def skewed(self, n):
        """An index in [0, n) biased towards 0 (min of three draws): frequent words first."""
        return min(self.randrange(n), self.randrange(n), self.randrange(n))

    def chance(self, per_mille):
        return self.randrange(1000) < per_mille


class Text:
    """Seeded word list with a bigram table (a small Markov chain) and line pools per kind;
    files are runs of consecutive pool lines, which is fast enough for 500 MiB in Python."""

    def __init__(self, rng, pool_lines):
        self.rng = rng
        words = set()
        while len(words) < 6000:
            words.add("".join(rng.pick(SYLLABLES) for _ in range(1 + rng.skewed(4))))
        self.words = sorted(words)
        rng.shuffle(self.words)
        self.words[100:100] = ACCENTED  # some non-ASCII, still valid UTF-8
        n = len(self.words)
        self.next = [[rng.skewed(n) for _ in range(6)] for _ in range(n)]
        self.pools = {
            "prose": [self.paragraph_line() for _ in range(pool_lines)],
            "c": [self.c_line() for _ in range(2 * pool_lines)],  # code lines are short
            "py": [self.py_line() for _ in range(2 * pool_lines)],
            "conf": [self.conf_line() for _ in range(pool_lines // 2)],
        }

    def phrase(self, count):
        rng, words = self.rng, self.words
        w = rng.skewed(len(words))
        out = []
        for _ in range(count):
            out.append(words[w])
            w = rng.pick(self.next[w]) if rng.randrange(4) else rng.skewed(len(words))
        return out

    def ident(self):
        return "_".join(self.phrase(1 + self.rng.randrange(3))).lower()

    def sentence(self):
        ws = self.phrase(4 + self.rng.randrange(18))
        return ws[0].capitalize() + " " + " ".join(ws[1:]) + self.rng.pick(".....?!:")

    def paragraph_line(self):
        rng = self.rng
        r = rng.randrange(20)
        if r == 0:
            return ""
        if r == 1:
            return "#" * (1 + rng.randrange(3)) + " " + " ".join(self.phrase(2 + rng.randrange(5)))
        if r == 2:
            return "- " + self.sentence()
        return " ".join(self.sentence() for _ in range(1 + rng.randrange(3)))

    def c_line(self):
        rng = self.rng
        pad = "  " * rng.skewed(6)
        a, b, c = self.ident(), self.ident(), self.ident()
        forms = [
            f"{pad}if ({a} != nullptr && {b}->{c} > {rng.randrange(4096)}) {{",
            f"{pad}return {a}({b}, {c});",
            f"{pad}}}",
            f"{pad}// {self.sentence()}",
            f"{pad}const auto {a} = {b}.{c}();",
            f"{pad}for (size_t i = 0; i < {a}.size(); ++i) {b}[i] += {c}[i];",
            f"{pad}static int {a}(struct {b} *{c}, unsigned flags);",
            f"{pad}{a} = {b} * {rng.randrange(100)} + {c};",
            f"#include \"{a}/{b}.h\"",
            "",
        ]
        return rng.pick(forms)

    def py_line(self):
        rng = self.rng
        pad = "    " * rng.skewed(4)
        a, b, c = self.ident(), self.ident(), self.ident()
        forms = [
            f"{pad}def {a}(self, {b}, {c}={rng.randrange(64)}):",
            f"{pad}if {a} is not None and {b}.{c}:",
            f"{pad}return [{a}(x) for x in {b} if x.{c}]",
            f"{pad}# {self.sentence()}",
            f"{pad}{a} = {b}.get(\"{c}\", {rng.randrange(1000)})",
            f"{pad}raise ValueError(\"{self.sentence()}\")",
            f"import {a}",
            f"{pad}log.info(\"%s {' '.join(self.phrase(4))}\", {a})",
            "",
        ]
        return rng.pick(forms)

    def conf_line(self):
        rng = self.rng
        forms = [
            f"{self.ident()} = {rng.randrange(100000)}",
            f"{self.ident()}: {' '.join(self.phrase(1 + rng.randrange(3)))}",
            f"[{self.ident()}]",
            f"  - {self.ident()}.{self.ident()}",
            f"# {self.sentence()}",
        ]
        return rng.pick(forms)

    def body(self, kind, size, header):
        """Text of about `size` bytes (cut at a line end when one is near) from the kind's pool:
        runs of consecutive pool lines from random places, like edited real files."""
        if size == 0:
            return b""
        pool = self.pools[POOL_OF_KIND[kind]]
        parts = [header]
        have = len(header)
        rng = self.rng
        while have < size:
            start = rng.randrange(len(pool))
            run = pool[start:start + 2 + rng.randrange(30)]
            piece = "\n".join(run) + "\n"
            parts.append(piece)
            have += len(piece)  # characters; close enough to bytes to stop the loop
        data = "".join(parts).encode()
        if len(data) <= size:
            return data
        cut = data.rfind(b"\n", 0, size)
        if cut > 0 and cut >= size - 200:
            return data[:cut + 1]
        # Cut at a character boundary (never in the middle of a UTF-8 sequence).
        while size > 0 and (data[size] & 0xC0) == 0x80:
            size -= 1
        return data[:size]


def scaled(n, scale, least=1):
    return max(least, int(round(n * scale)))


def set_time(path, rng, changed=False):
    """A seeded mtime: up to two years before BASE_MTIME, or (for what --mutate changed) a day
    a month after it, so a changed file never keeps its old mtime."""
    if changed:
        t = BASE_MTIME + 30 * 86400 + rng.randrange(86400)
    else:
        t = BASE_MTIME - rng.randrange(TWO_YEARS)
    ns = t * 1_000_000_000 + rng.randrange(1_000_000_000)
    os.utime(path, ns=(ns, ns), follow_symlinks=False)


def make_tree(rng, text, n_dirs):
    """Directories under the areas: each new one hangs below a random earlier one of the same
    area, depth at most 7. Returns [(area index, relative path bytes)]."""
    dirs = [(i, a[0]) for i, a in enumerate(AREAS)]
    names = set(d for _, d in dirs)
    while len(dirs) < n_dirs:
        area, parent = dirs[rng.randrange(len(dirs))]
        if parent.count(b"/") >= 6:
            continue
        if rng.chance(15):
            leaf = rng.pick(ACCENTED).encode()  # valid UTF-8, non-ASCII
        else:
            leaf = text.ident()[:40].encode()
        path = parent + b"/" + leaf
        if path in names:
            continue
        names.add(path)
        dirs.append((area, path))
    return dirs


def file_name(rng, text, kind, taken):
    while True:
        stem = text.ident()[:48]
        if rng.chance(5):
            # Non-UTF-8: a Latin-1 encoded name, as written by an old Windows or FTP client.
            name = ("résumé_" + stem).encode("latin-1", errors="replace") + b"." + kind.encode()
            if rng.chance(300):
                name = b"\xff\xfe" + name
        else:
            name = (stem + "." + kind).encode()
        if name not in taken:
            taken.add(name)
            return name


def write_file(path, data, mode):
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, mode)


def text_files(rng, text, out, scale):
    n_files = scaled(30000, scale, 50)
    dirs = make_tree(rng, text, scaled(2500, scale, 20))
    by_area = [[d for a, d in dirs if a == i] for i in range(len(AREAS))]
    for _, d in dirs:
        os.makedirs(os.path.join(out, d), exist_ok=True)
    taken_in = {}
    written = []  # relative paths of regular files, for duplicates and hard links
    total = 0
    kinds_seen = set()
    for i in range(n_files):
        area = rng.weighted([(a[1], k) for k, a in enumerate(AREAS)])[1]
        d = rng.pick(by_area[area])
        kind = rng.pick(AREAS[area][2])
        name = file_name(rng, text, kind, taken_in.setdefault(d, set()))
        rel = d + b"/" + name
        if written and rng.chance(30):  # a duplicate: same bytes under another name
            with open(os.path.join(out, rng.pick(written)), "rb") as f:
                data = f.read()
        else:
            _, lo, hi = rng.weighted(SIZE_CLASSES)
            size = lo + rng.randrange(hi - lo + 1)
            header = f"{'#' if kind in ('py', 'sh', 'conf', 'yaml', 'ini') else '//'} " \
                     f"{rel.decode(errors='replace')} {rng.getrandbits(64):016x}\n"
            data = text.body(kind, size, header if size > 80 else "")
        mode = 0o755 if kind in ("sh", "py") and rng.chance(600) else \
            0o600 if rng.chance(40) else 0o644
        write_file(os.path.join(out, rel), data, mode)
        written.append(rel)
        total += len(data)
        kinds_seen.update(("empty",) if not data else ())
        kinds_seen.update(("latin-1",) if not utf8(name) else ())
    # A tiny dataset (the self-test's) may have drawn no empty file or no non-UTF-8 name: add
    # them then, without drawing from rng, so that larger datasets keep their bytes.
    if "empty" not in kinds_seen:
        write_file(os.path.join(out, dirs[1][1], b"empty.txt"), b"", 0o644)
    if "latin-1" not in kinds_seen:
        write_file(os.path.join(out, dirs[1][1], b"r\xe9sum\xe9.txt"), b"CV\n", 0o644)
    return dirs, written, total


def utf8(name):
    try:
        name.decode()
        return True
    except UnicodeDecodeError:
        return False


def links(rng, out, dirs, written, scale):
    n = scaled(20, scale, 4)
    for i in range(n):  # hard links: a second name for an existing file in another directory
        rel = rng.pick(written)
        d = rng.pick(dirs)[1]
        target = os.path.join(out, d, b"hardlink-%d-" % i + os.path.basename(rel))
        os.link(os.path.join(out, rel), target)
    for i in range(n):  # symlinks: relative to a file, to a directory, one dangling, one absolute
        d = rng.pick(dirs)[1]
        where = os.path.join(out, d, b"link-%d" % i)
        if i == 0:
            dest = b"../no/such/file"
        elif i == 1:
            dest = b"/nonexistent/absolute/target"
        elif i % 3 == 0:
            dest = os.path.relpath(os.path.join(out, rng.pick(dirs)[1]), os.path.dirname(where))
        else:
            rel = rng.pick(written)
            dest = os.path.relpath(os.path.join(out, rel), os.path.dirname(where))
        os.symlink(dest, where)


def random_file(rng, path, size):
    with open(path, "wb") as f:
        left = size
        while left:
            n = min(left, 16 * MIB)
            f.write(rng.randbytes(n))
            left -= n


def u16_array(raw):
    a = array.array("H")
    a.frombytes(raw)
    if sys.byteorder == "big":
        a.byteswap()  # the same numbers on every machine
    return a


class Table:
    """Rows of an orders export: ids and times ascending, customers, SKUs, prices, statuses."""

    COLUMNS = "order_id,created_at,customer_id,sku,quantity,unit_price,currency,status,country," \
              "note\n"
    STATUSES = ["paid"] * 6 + ["shipped"] * 5 + ["delivered"] * 8 + ["refunded", "cancelled",
                                                                     "pending", "pending"]
    CURRENCIES = ["CNY"] * 10 + ["USD"] * 4 + ["EUR"] * 2 + ["JPY", "HKD"]
    COUNTRIES = ["CN"] * 12 + ["US", "DE", "JP", "SG", "HK", "FR", "GB", "KR", "BR", "IN"]

    def __init__(self, rng, text):
        self.rng = rng
        self.skus = [f"{text.ident()[:12].upper()}-{rng.randrange(10000):04d}" for _ in range(4096)]
        cents = [rng.randrange(100, 500000) for _ in range(4096)]
        self.prices = [f"{c // 100}.{c % 100:02d}" for c in cents]
        self.notes = [""] * 6 + [s.replace(",", ";")[:80] for s in text.pools["prose"][:1024]
                                 if s and "\n" not in s][:1018]

    def rows(self, first_id, first_time, size):
        """(CSV bytes of about `size`, next id, next time), built 8192 rows at a time from one
        block of random 16-bit numbers."""
        out, have = [], 0
        oid, t = first_id, first_time
        skus, prices, notes = self.skus, self.prices, self.notes
        st, cur, cty = self.STATUSES, self.CURRENCIES, self.COUNTRIES
        while have < size:
            r = u16_array(self.rng.randbytes(8192 * 8 * 2))
            lines = []
            for k in range(0, len(r), 8):
                t += r[k] & 0x3F
                s = r[k + 1] & 4095
                lines.append(f"{oid},{t},{(r[k + 2] << 4) | (r[k + 3] & 15)},{skus[s]},"
                             f"{1 + r[k + 4] % 20},{prices[s]},{cur[r[k + 5] % 18]},"
                             f"{st[r[k + 6] % 23]},{cty[r[k + 7] % 22]},"
                             f"{notes[(r[k + 3] >> 4) % len(notes)]}\n")
                oid += 1
            block = "".join(lines).encode()
            out.append(block)
            have += len(block)
        return b"".join(out), oid, t


def generate(out, scale, seed):
    rng = Rng(seed)
    # Pools big enough that a backup tool's chunk (0.5-8 MiB) rarely holds a line twice: the
    # text compresses like real text, not like a loop.
    text = Text(rng, scaled(100000, scale, 20000))
    os.makedirs(out)
    dirs, written, text_bytes = text_files(rng, text, out, scale)
    links(rng, out, dirs, written, scale)
    big = os.path.join(out, b"vm")
    os.makedirs(big)
    for i in range(3):
        random_file(Rng(seed * 1000 + i), os.path.join(big, b"disk-%d.img" % i),
                    scaled(200 * MIB, scale, MIB))
    db = os.path.join(out, b"db", b"exports")
    os.makedirs(db)
    table = Table(Rng(seed * 1000 + 99), text)
    with open(os.path.join(db, b"orders.csv"), "wb") as f:
        f.write(Table.COLUMNS.encode())
        left, oid, t = scaled(400 * MIB, scale, MIB), 1, 1704067200
        while left > 0:
            block, oid, t = table.rows(oid, t, min(left, 8 * MIB))
            f.write(block)
            left -= len(block)
    stamp_times(rng, out)
    print(f"text files: {len(written)} ({text_bytes / MIB:.1f} MiB), directories: {len(dirs)}")


def stamp_times(rng, out):
    """Deterministic mtimes for everything, directories last (writing inside one changes it)."""
    for root, ds, fs in walk_sorted(out):
        for name in fs:
            set_time(os.path.join(root, name), rng)
    for root, ds, fs in reversed(list(walk_sorted(out))):
        set_time(root, rng)


def walk_sorted(top):
    for root, ds, fs in os.walk(top):
        ds.sort()
        fs.sort()
        # Symlinks to directories are listed in ds by os.walk; they are entries, not subtrees.
        for d in [d for d in ds if os.path.islink(os.path.join(root, d))]:
            ds.remove(d)
            fs.append(d)
        fs.sort()
        yield root, ds, fs


def fingerprint(top):
    h = hashlib.sha256()
    files = 0
    size = 0
    for root, ds, fs in walk_sorted(top):
        st = os.lstat(root)
        h.update(b"D %s %o %d\n" % (os.path.relpath(root, top), st.st_mode, st.st_mtime_ns))
        for name in fs:
            p = os.path.join(root, name)
            st = os.lstat(p)
            rel = os.path.relpath(p, top)
            if os.path.islink(p):
                h.update(b"L %s -> %s %d\n" % (rel, os.readlink(p), st.st_mtime_ns))
                continue
            with open(p, "rb") as f:
                digest = hashlib.file_digest(f, "sha256").hexdigest().encode()
            h.update(b"F %s %o %d %d %s\n" % (rel, st.st_mode, st.st_size, st.st_mtime_ns,
                                              digest))
            files += 1
            size += st.st_size
    return h.hexdigest(), files, size


def regular_files(top):
    texts, bigs = [], []
    for root, ds, fs in walk_sorted(top):
        for name in fs:
            p = os.path.join(root, name)
            if os.path.islink(p):
                continue
            rel = os.path.relpath(p, top)
            (bigs if rel.startswith((b"vm/", b"db/")) else texts).append(rel)
    return texts, bigs


def mutate(out, percent, seed):
    """Changes ~percent % of the tree: the choice depends only on the seed and the tree."""
    rng = Rng(seed * 7919 + int(percent * 100))
    text = Text(rng, 4000)
    texts, bigs = regular_files(out)
    count = max(1, len(texts) * percent // 100)
    changed = 0
    picks = list(range(len(texts)))
    rng.shuffle(picks)
    modified, appended = picks[:count // 2], picks[count // 2:count]
    deleted = picks[count:count + max(1, count // 5)]
    touched = set()  # files and directories whose mtime the changes moved
    for i in modified:  # rewrite a region in the middle, size unchanged
        p = os.path.join(out, texts[i])
        size = os.path.getsize(p)
        if size < 2:
            continue
        touched.add(p)
        length = max(1, size * (10 + rng.randrange(40)) // 100)
        at = rng.randrange(size - length + 1)
        data = text.body("txt", length + 64, "")[:length].ljust(length, b" ")
        with open(p, "r+b") as f:
            f.seek(at)
            f.write(data)
        changed += length
    for i in appended:
        data = text.body("txt", 1 * KIB + rng.randrange(20 * KIB), "")
        with open(os.path.join(out, texts[i]), "ab") as f:
            f.write(data)
        touched.add(os.path.join(out, texts[i]))
        changed += len(data)
    for i in deleted:
        os.unlink(os.path.join(out, texts[i]))
        touched.add(os.path.dirname(os.path.join(out, texts[i])))
    dirs = sorted(set(os.path.dirname(t) for t in texts))
    for i in range(len(deleted)):
        rel = os.path.join(rng.pick(dirs), b"new-%d-%d.txt" % (int(percent * 100), i))
        if os.path.exists(os.path.join(out, rel)):
            continue
        data = text.body("txt", rng.randrange(64 * KIB), "")
        write_file(os.path.join(out, rel), data, 0o644)
        touched.update((os.path.join(out, rel), os.path.dirname(os.path.join(out, rel))))
        changed += len(data)
    for rel in bigs:
        p = os.path.join(out, rel)
        size = os.path.getsize(p)
        if rel.endswith(b".csv"):  # the table grows by percent % new rows
            with open(p, "rb") as f:
                f.seek(max(0, size - 4096))
                last = f.read().splitlines()[-1].split(b",")
            block, _, _ = Table(rng, text).rows(int(last[0]) + 1, int(last[1]),
                                                 size * percent // 100)
            with open(p, "ab") as f:
                f.write(block)
            touched.add(p)
            changed += len(block)
            continue
        # Disk images: percent % of the blocks rewritten in 4 regions.
        region = size * percent // 100 // 4
        with open(p, "r+b") as f:
            for _ in range(4):
                f.seek(rng.randrange(size - region + 1))
                f.write(rng.randbytes(region))
        touched.add(p)
        changed += 4 * region
    for p in sorted(touched):
        if os.path.exists(p):  # a file both appended to and deleted through a hard link
            set_time(p, rng, changed=True)
    print(f"mutate {percent}%: {len(modified)} modified, {len(appended)} appended, "
          f"{len(deleted)} deleted and as many added, {len(bigs)} large files changed; "
          f"{changed / MIB:.1f} MiB written")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="dataset directory")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=6)
    ap.add_argument("--mutate", type=int, metavar="PERCENT",
                    help="change about PERCENT %% of an existing dataset instead")
    ap.add_argument("--no-fingerprint", action="store_true", help="skip hashing the result")
    args = ap.parse_args()
    out = os.fsencode(args.out)
    if args.mutate is not None:
        if not os.path.isdir(out):
            sys.exit(f"gen_dataset: {args.out}: no such dataset to mutate")
        mutate(out, args.mutate, args.seed)
    else:
        if os.path.exists(out):
            sys.exit(f"gen_dataset: {args.out} exists; remove it first")
        generate(out, args.scale, args.seed)
    if not args.no_fingerprint:
        digest, files, size = fingerprint(out)
        print(f"{files} files, {size} bytes ({size / MIB:.1f} MiB), fingerprint {digest}")


if __name__ == "__main__":
    main()
