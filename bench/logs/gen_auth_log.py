#!/usr/bin/env python3
"""Writes a deterministic auth.log for the log-scanning benchmark.

Realistic Debian syslog lines ("Nov 22 06:42:34 bastion sshd[812]: ..."): sshd password
failures and invalid users from many addresses (a few noisy attackers, a long tail of
scanners, some IPv6), mixed with successful logins, disconnects, preauth closes, PAM, CRON,
sudo and systemd lines. Same arguments, same bytes: seeded RNG, fixed start time.

    gen_auth_log.py OUT [--lines 2000000] [--seed 5]
"""
import argparse
import random
import calendar
import time

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
USERS = "root admin test oracle postgres ubuntu git user guest ftp www-data pi support dev".split()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--lines", type=int, default=2_000_000)
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args()
    rng = random.Random(args.seed)

    # Attackers: 40 noisy ones and a long tail of 20,000 scanners; 3% of them on IPv6.
    def addr():
        if rng.random() < 0.03:
            return "2001:db8:%x::%x" % (rng.randrange(1, 0xFFFF), rng.randrange(1, 0xFFFF))
        return "%d.%d.%d.%d" % (rng.randrange(1, 224), rng.randrange(256), rng.randrange(256),
                                rng.randrange(1, 255))
    noisy = [addr() for _ in range(40)]
    tail = [addr() for _ in range(20_000)]
    office = ["192.0.2.%d" % i for i in range(10, 40)]

    t = calendar.timegm((2026, 11, 22, 6, 42, 34))
    pid = 800
    lines = []
    out = open(args.out, "w")
    for i in range(args.lines):
        t += rng.choice((0, 0, 0, 1))
        tm = time.gmtime(t)
        stamp = "%s %2d %02d:%02d:%02d" % (MONTHS[tm.tm_mon - 1], tm.tm_mday, tm.tm_hour,
                                           tm.tm_min, tm.tm_sec)
        pid = pid + 1 if pid < 65000 else 800
        r = rng.random()
        port = rng.randrange(1024, 65535)
        attacker = rng.choice(noisy) if rng.random() < 0.6 else rng.choice(tail)
        if r < 0.18:
            msg = "sshd[%d]: Failed password for root from %s port %d ssh2" % (pid, attacker, port)
        elif r < 0.26:
            msg = "sshd[%d]: Failed password for invalid user %s from %s port %d ssh2" % (
                pid, rng.choice(USERS), attacker, port)
        elif r < 0.31:
            msg = "sshd[%d]: Invalid user %s from %s port %d" % (pid, rng.choice(USERS), attacker,
                                                                  port)
        elif r < 0.35:
            msg = "sshd[%d]: Connection closed by invalid user %s %s port %d [preauth]" % (
                pid, rng.choice(USERS), attacker, port)
        elif r < 0.37:
            msg = ("sshd[%d]: error: maximum authentication attempts exceeded for root from %s "
                   "port %d ssh2 [preauth]") % (pid, attacker, port)
        elif r < 0.45:
            msg = "sshd[%d]: Accepted publickey for deploy from %s port %d ssh2: ED25519 SHA256:%s" % (
                pid, rng.choice(office), port, "%016x" % rng.getrandbits(64))
        elif r < 0.52:
            msg = "sshd[%d]: pam_unix(sshd:session): session opened for user deploy(uid=1000) by (uid=0)" % pid
        elif r < 0.58:
            msg = "sshd[%d]: Received disconnect from %s port %d:11: disconnected by user" % (
                pid, rng.choice(office), port)
        elif r < 0.62:
            msg = "sshd[%d]: Disconnected from user deploy %s port %d" % (pid, rng.choice(office), port)
        elif r < 0.80:
            msg = "CRON[%d]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)" % pid
        elif r < 0.88:
            msg = ("sudo:   deploy : TTY=pts/%d ; PWD=/srv/app ; USER=root ; COMMAND=/usr/bin/systemctl "
                   "restart app") % rng.randrange(4)
        elif r < 0.95:
            msg = "systemd-logind[%d]: New session %d of user deploy." % (pid, rng.randrange(1, 99999))
        else:
            msg = "systemd[1]: Started session-%d.scope - Session %d of User deploy." % (i, i)
        lines.append("%s bastion %s\n" % (stamp, msg))
        if len(lines) >= 65536:
            out.write("".join(lines))
            lines.clear()
    out.write("".join(lines))
    out.close()


if __name__ == "__main__":
    main()
