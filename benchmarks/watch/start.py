#!/usr/bin/env python3
"""How long `audiosync watch` takes to start, and its peak RSS by then: from the process's start
to its first batch's line on stdout (`--json`), after which it is ready to link arrivals by their
content. Then SIGTERM, and the exit code is checked.

    benchmarks/watch/start.py --binary /tmp/B --store /tmp/m1w --media /tmp/m1/media [--rounds 3]

STORE holds messages.sqlite and the probe cache (cache.sqlite) a sync used. Run two syncs with
the same binary and cache first: the second, with nothing to write, leaves the base a watch can
start from; a build that cannot starts with a whole plan.
"""
import argparse
import os
import select
import signal
import subprocess
import sys
import time


def peak_rss_mib(pid):
    """The process's peak resident set (VmHWM), in MiB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def start_once(binary, store, media):
    started = time.monotonic()
    child = subprocess.Popen(
        [binary, "watch", "--media-root", media, "--database", os.path.join(store, "messages.sqlite"),
         "--probe-cache", os.path.join(store, "cache.sqlite"), "--json", "-v"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = ""
    errors = []
    while not line:
        ready, _, _ = select.select([child.stdout, child.stderr], [], [], 600)
        if not ready:
            child.kill()
            sys.exit("no batch line within 600 s")
        if child.stderr in ready:
            errors.append(child.stderr.readline())
        if child.stdout in ready:
            line = child.stdout.readline()
            if not line and child.poll() is not None:
                sys.exit(f"watch ended (exit {child.returncode}): {''.join(errors)[-2000:]}")
    seconds = time.monotonic() - started
    peak = peak_rss_mib(child.pid)
    child.send_signal(signal.SIGTERM)
    _, rest = child.communicate(timeout=120)
    log = "".join(errors) + rest
    reused = "started from the last whole plan" in log
    print(f"{os.path.basename(binary):<8} first batch after {seconds:6.2f} s  peak RSS {peak:7.1f} MiB  "
          f"from the last whole plan: {'yes' if reused else 'no'}  exit {child.returncode}", flush=True)
    if child.returncode != 0:
        sys.exit(log[-2000:])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", action="append", required=True, help="one or more builds, alternated")
    parser.add_argument("--store", required=True)
    parser.add_argument("--media", required=True)
    parser.add_argument("--rounds", type=int, default=1)
    arguments = parser.parse_args()
    for _ in range(arguments.rounds):
        for binary in arguments.binary:
            start_once(binary, arguments.store, arguments.media)


if __name__ == "__main__":
    main()
