#!/usr/bin/env python3
"""Two or more `lambdaform` binaries timed side by side, runs interleaved.

    benches/interleaved.py [--again] RUNS TARGET APP BIN [BIN...]

Each run builds APP with every binary in turn (`build APP --target TARGET`),
one process each, into a folder on /dev/shm: an empty one, or with
`--again` the binary's own previous output (built once before the runs), as
a developer builds. A round of warm-up runs first is not counted. Prints
each binary's median and fastest run and its median over the first
binary's: on a shared machine only such ratios compare. Beside them, the
median processor time of each binary's builds (user and system, every
thread) and its ratio: what a build costs the cores, whatever else runs.

A BIN may be `NAME=VALUE,...@PATH` to run PATH with those environment
variables (`MIMALLOC_PURGE_DELAY=-1@target/release/lambdaform`). A comma
starts the next variable only where a `NAME=` follows it, so a value may
hold commas (`_RJEM_MALLOC_CONF=thp:always,narenas:2@BIN`).
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import time


def command(spec):
    """The path and environment of a BIN argument."""
    env = dict(os.environ)
    if "@" not in spec:
        return spec, env
    assigns, path = spec.split("@", 1)
    for assign in re.split(r",(?=[A-Za-z_][A-Za-z0-9_]*=)", assigns):
        name, value = assign.split("=", 1)
        env[name] = value
    return path, env


def main(argv):
    again = "--again" in argv
    args = [a for a in argv if a != "--again"]
    if len(args) < 4:
        sys.exit(__doc__)
    runs, target, app, bins = int(args[0]), args[1], args[2], args[3:]
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else "/tmp"
    outs = {b: f"{shm}/interleaved-{os.getpid()}-{i}" for i, b in enumerate(bins)}

    def build(b):
        """One build; the processor time it took (user and system, ms)."""
        path, env = command(b)
        child = subprocess.Popen([path, "build", app, "--target", target, "--out", outs[b]], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"{b} failed to build {app}")
        return (usage.ru_utime + usage.ru_stime) * 1000

    times = {b: [] for b in bins}
    processor = {b: [] for b in bins}
    try:
        for b in bins:
            shutil.rmtree(outs[b], ignore_errors=True)
            if again:
                build(b)
        for run in range(runs + 1):
            for b in bins:
                if not again:
                    shutil.rmtree(outs[b], ignore_errors=True)
                start = time.perf_counter()
                used = build(b)
                if run > 0:
                    times[b].append((time.perf_counter() - start) * 1000)
                    processor[b].append(used)
    finally:
        for b in bins:
            shutil.rmtree(outs[b], ignore_errors=True)
    first = statistics.median(times[bins[0]])
    first_used = statistics.median(processor[bins[0]])
    for b in bins:
        median, used = statistics.median(times[b]), statistics.median(processor[b])
        print(f"{median:7.1f} ms median  fastest {min(times[b]):6.1f} ms  ratio {median / first:.3f}  "
              f"processor {used:7.1f} ms  ratio {used / first_used:.3f}  {b}")


if __name__ == "__main__":
    main(sys.argv[1:])
