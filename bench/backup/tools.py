"""The three backup programs as the benchmark drives them: one command per operation, the
password from the environment, caches kept inside the benchmark's work directory.

Every backup runs from the dataset's parent directory on the dataset's relative name, so all
three see the same path; restores run with the target as working directory (borg extracts there)
and the runner finds the restored tree by name wherever a tool puts it."""
import os

PASSWORD = "failsafe-bench-backup"  # a throw-away repository in a temp dir


class Tool:
    name = ""
    ok_codes = (0,)  # exit codes that mean success (borg: 1 is "finished with warnings")

    def __init__(self, work):
        self.work = work

    def env(self):
        env = dict(os.environ)
        env.update(self.extra_env())
        return env

    def extra_env(self):
        return {}

    def version_cmd(self):
        return [self.binary(), "--version"]


class Restic(Tool):
    name = "restic"

    def binary(self):
        return "restic"

    def version_cmd(self):
        return ["restic", "version"]

    def extra_env(self):
        return {"RESTIC_PASSWORD": PASSWORD,
                "RESTIC_CACHE_DIR": os.path.join(self.work, "cache", "restic")}

    def init(self, repo):
        return ["restic", "--repo", repo, "init"]  # 0.14: repository format 2, compressed

    def backup(self, repo, path, seq):
        return ["restic", "--repo", repo, "backup", "--host", "fsbench", path]

    def restore(self, repo, target):
        return ["restic", "--repo", repo, "restore", "latest", "--target", target]

    def check(self, repo):
        return ["restic", "--repo", repo, "check", "--read-data"]


class Borg(Tool):
    name = "borg"
    ok_codes = (0, 1)

    def __init__(self, work):
        super().__init__(work)
        self.last = {}  # repo -> number of the last archive created, for extract

    def binary(self):
        return "borg"

    def extra_env(self):
        return {"BORG_PASSPHRASE": PASSWORD,
                "BORG_BASE_DIR": os.path.join(self.work, "cache", "borg"),
                "BORG_DISPLAY_PASSPHRASE": "no",
                "BORG_RELOCATED_REPO_ACCESS_IS_OK": "yes"}

    def init(self, repo):
        return ["borg", "init", "--encryption=repokey", repo]

    def backup(self, repo, path, seq):
        self.last[repo] = seq
        return ["borg", "create", "--compression", "lz4", f"{repo}::snap-{seq}", path]

    def restore(self, repo, target):
        # borg 1.2 has no 'latest' alias: the last archive this runner created.
        return ["borg", "extract", f"{repo}::snap-{self.last[repo]}"]

    def check(self, repo):
        return ["borg", "check", "--verify-data", repo]


class Failsafe(Tool):
    name = "failsafe"

    def __init__(self, work, binary):
        super().__init__(work)
        self.bin = os.path.abspath(binary)

    def binary(self):
        return self.bin

    def extra_env(self):
        return {"FAILSAFE_BACKUP_PASSWORD": PASSWORD}

    def init(self, repo):
        return [self.bin, "backup", "init", "--repo", repo]

    def backup(self, repo, path, seq):
        return [self.bin, "backup", "run", "--repo", repo, path]

    def restore(self, repo, target):
        return [self.bin, "backup", "restore", "--repo", repo, "latest", "--target", target]

    def check(self, repo):
        return [self.bin, "backup", "check", "--repo", repo, "--read-data"]

    def snapshots(self, repo):
        return [self.bin, "backup", "snapshots", "--repo", repo, "--json"]
