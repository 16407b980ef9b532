#!/usr/bin/env python3
"""Where the time of a build goes, stage by stage, for one or more binaries.

    benches/stages.py RUNS TARGET APP BIN [BIN...]

Builds APP with every binary in turn (`build APP --target TARGET`, into an
empty folder on /dev/shm, runs interleaved as in `interleaved.py`, whose
`NAME=VALUE,...@PATH` form a BIN may take) with the timeline on
(`LAMBDAFORM_TIMELINE=1`), and prints for each stage the median of its
wall time, of the processor time all threads spent in it, the cores it
kept busy (the two divided), and the resident memory at its end. A
stage's medians do not add up to the median total. Comparing stages shows
what a change moved: one thread against two (`RAYON_NUM_THREADS=1@BIN`),
an allocator setting, or a scratch binary with a stage rearranged.
"""
import os
import shutil
import statistics
import subprocess
import sys

from interleaved import command


def timeline(spec, target, app, out):
    """One build's stages: (name, wall ms, processor ms, resident MB) at
    each mark, from the start of `main`."""
    path, env = command(spec)
    env["LAMBDAFORM_TIMELINE"] = "1"
    shutil.rmtree(out, ignore_errors=True)
    done = subprocess.run([path, "build", app, "--target", target, "--out", out], env=env,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        sys.exit(f"{spec} failed to build {app}")
    marks = []
    for line in done.stderr.splitlines():
        # timeline   0.60 ms wall   0.60 ms processor   8 MB  read
        fields = line.split()
        if fields[:1] == ["timeline"]:
            mb = fields.index("MB")
            marks.append((" ".join(fields[mb + 1:]), float(fields[1]), float(fields[4]), int(fields[mb - 1])))
    return marks


def report(spec, builds):
    """Each stage's medians over `builds` of one binary."""
    print(spec)
    names = [name for name, *_ in builds[0]]
    for i, name in enumerate(names):
        def median(field):
            return statistics.median(b[i][field] - (b[i - 1][field] if i else 0) for b in builds)
        wall, used = median(1), median(2)
        resident = statistics.median(b[i][3] for b in builds)
        cores = used / wall if wall else 0
        print(f"  {name:20s} {wall:7.2f} ms wall {used:7.2f} ms processor {cores:5.2f} cores {resident:5.0f} MB")
    total = statistics.median(b[-1][1] for b in builds)
    used = statistics.median(b[-1][2] for b in builds)
    print(f"  {'total':20s} {total:7.2f} ms wall {used:7.2f} ms processor")


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    runs, target, app, specs = int(argv[0]), argv[1], argv[2], argv[3:]
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else "/tmp"
    out = f"{shm}/stages-{os.getpid()}"
    builds = {spec: [] for spec in specs}
    try:
        for _ in range(runs):
            for spec in specs:
                builds[spec].append(timeline(spec, target, app, out))
    finally:
        shutil.rmtree(out, ignore_errors=True)
    for spec in specs:
        stages = {tuple(name for name, *_ in build) for build in builds[spec]}
        if len(stages) != 1:
            sys.exit(f"{spec}: the builds marked different stages")
        report(spec, builds[spec])


if __name__ == "__main__":
    main(sys.argv[1:])
