#!/usr/bin/env python3
"""Checks of the benchmark itself, on a tiny dataset (about a minute):

    /usr/bin/python3 bench/backup/selftest.py

- the generator gives the same bytes twice for a seed, and --mutate changes them the same way;
- the restore check finds each kind of difference and passes an exact copy;
- the runner end to end: a stand-in `failsafe` (the issue's CLI forms, carried out by restic)
  beside restic, so every failsafe step and goal ratio is computed from real runs.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_dataset  # noqa: E402
import measure  # noqa: E402

GEN = os.path.join(HERE, "gen_dataset.py")
SCALE = "0.003"

# The issue's `failsafe backup ...` forms, carried out by restic, so the runner's failsafe path
# runs against a real backup program before the engine is built.
STAND_IN = r'''#!/usr/bin/env python3
import os, sys
args = sys.argv[1:]
assert args[:1] == ["backup"], args
op, repo = args[1], args[args.index("--repo") + 1]
rest = [x for i, x in enumerate(args) if i > 1 and "--repo" not in (x, args[i - 1])]
os.environ["RESTIC_PASSWORD"] = os.environ["FAILSAFE_BACKUP_PASSWORD"]
if op == "init":
    cmd = ["init"]
elif op == "run":
    cmd = ["backup", "--host", "stand-in"] + [x for x in rest if x != "--full"]
elif op == "snapshots":
    cmd = ["snapshots", "--json"]
elif op == "restore":
    cmd = ["restore", "latest", "--target", rest[rest.index("--target") + 1]]
else:
    cmd = ["check", "--read-data"]
os.execvp("restic", ["restic", "--no-cache", "--repo", repo] + cmd)
'''


def generate(path, *extra, scale=SCALE):
    out = subprocess.run([sys.executable, GEN, path, "--scale", scale] + list(extra),
                         check=True, capture_output=True, text=True).stdout
    return out.split()[-1]


class Generator(unittest.TestCase):
    def test_same_seed_same_bytes_and_same_mutation(self):
        with tempfile.TemporaryDirectory() as tmp:
            a, b = os.path.join(tmp, "a"), os.path.join(tmp, "b")
            self.assertEqual(generate(a), generate(b))
            self.assertNotEqual(generate(os.path.join(tmp, "c"), "--seed", "7"), generate(
                os.path.join(tmp, "d")))
            before = measure.manifest(a)
            self.assertEqual(generate(a, "--mutate", "5"), generate(b, "--mutate", "5"))
            diff = measure.compare(before, measure.manifest(a))
            self.assertTrue(diff["content"] and diff["missing"] and diff["extra"], diff)

    def test_tree_has_the_awkward_entries(self):
        with tempfile.TemporaryDirectory() as tmp:
            top = os.path.join(tmp, "d")
            generate(top)
            entries, links, _ = measure.manifest(top)
            kinds = [e[0] for e in entries.values()]
            self.assertGreater(kinds.count("link"), 0)
            self.assertGreater(len(links), 0)  # hard links
            self.assertTrue(any(e[0] == "file" and e[2] == 0 for e in entries.values()))
            self.assertTrue(any(not gen_dataset.utf8(p) for p in entries))
            sizes = sorted(e[2] for e in entries.values() if e[0] == "file")
            self.assertGreater(len(set(e[3] for e in entries.values() if e[0] == "file")), 10)
            self.assertLess(len(set(e[3] for e in entries.values() if e[0] == "file")),
                            len(sizes))  # some duplicates


class RestoreCheck(unittest.TestCase):
    def test_finds_each_difference(self):
        with tempfile.TemporaryDirectory() as tmp:
            src, dst = os.path.join(tmp, "src"), os.path.join(tmp, "dst")
            generate(src)
            subprocess.run(["cp", "-a", src, dst], check=True)
            source = measure.manifest(src)
            self.assertEqual(measure.describe(measure.compare(source, measure.manifest(dst))),
                             "identical")
            files = sorted(p for p, e in source[0].items() if e[0] == "file" and e[2] > 0 and
                           p not in source[1])
            links = sorted(p for p, e in source[0].items() if e[0] == "link")
            d = os.fsencode(dst)
            with open(os.path.join(d, files[0]), "r+b") as f:
                f.write(b"\0")
            os.chmod(os.path.join(d, files[1]), 0o640 if source[0][files[1]][1] != 0o640 else
                     0o600)
            os.unlink(os.path.join(d, files[2]))
            os.unlink(os.path.join(d, links[0]))
            os.symlink(b"elsewhere", os.path.join(d, links[0]))
            open(os.path.join(d, b"extra"), "w").close()
            diff = measure.compare(source, measure.manifest(dst))
            self.assertEqual(diff["content"], [files[0]])
            self.assertEqual(diff["mode"], [files[1]])
            self.assertEqual(diff["missing"], [files[2]])
            self.assertEqual(diff["target"], [links[0]])
            self.assertEqual(diff["extra"], [b"extra"])


class Runner(unittest.TestCase):
    def test_end_to_end_with_a_stand_in_failsafe(self):
        with tempfile.TemporaryDirectory() as tmp:
            fake = os.path.join(tmp, "failsafe")
            with open(fake, "w") as f:
                f.write(STAND_IN)
            os.chmod(fake, 0o755)
            out_json = os.path.join(tmp, "result.json")
            work = os.path.join(tmp, "work")
            r = subprocess.run([sys.executable, os.path.join(HERE, "run.py"), "--scale", SCALE,
                                "--failsafe", fake, "--tools", "restic", "--dir", work,
                                "--no-warm", "--no-drop", "--json", out_json],
                               capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stdout[-3000:] + r.stderr[-3000:])
            self.assertFalse(os.path.exists(work))  # cleaned up
            with open(out_json) as f:
                doc = json.load(f)
            for tool in ("failsafe", "restic"):
                for step in ("initial", "nochange", "changed", "restore", "check"):
                    rec = doc["results"][tool][step]["cold"]
                    self.assertTrue(rec["ok"], (tool, step, rec.get("error")))
                self.assertEqual(doc["results"][tool]["restore"]["cold"]["verify"][1],
                                 "identical")
            self.assertEqual(doc["info"]["failsafe_snapshots"], 3)
            goals = {g["goal"]: g for g in doc["goals"]}
            self.assertIsNotNone(goals["initial backup throughput, failsafe / restic"]["value"])
            self.assertIn(goals["repository size, failsafe / restic"]["verdict"],
                          ("PASS", "FAIL"))
            self.assertEqual(goals["initial backup throughput, failsafe / borg"]["verdict"],
                             "n/a")  # borg was not run
            self.assertIn("initial backup throughput, failsafe / restic", r.stdout)

    def test_a_failing_program_is_reported_not_fatal(self):
        with tempfile.TemporaryDirectory() as tmp:
            fake = os.path.join(tmp, "failsafe")
            with open(fake, "w") as f:
                f.write("#!/bin/sh\necho 'no such repository format' >&2\nexit 2\n")
            os.chmod(fake, 0o755)
            r = subprocess.run([sys.executable, os.path.join(HERE, "run.py"), "--scale", SCALE,
                                "--failsafe", fake, "--tools", "", "--dir",
                                os.path.join(tmp, "work"), "--no-warm", "--no-drop"],
                               capture_output=True, text=True)
            self.assertEqual(r.returncode, 0, r.stderr[-3000:])
            self.assertIn("failsafe: every step skipped: init failed (exit 2): no such "
                          "repository format", r.stdout)
            self.assertIn("pending (no failsafe figure)", r.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
