#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn test output into result lines ("PASS name" / "FAIL name" / "SKIP name",
and "NOTE name: text" for what a test program said after a failing check,
"TIME name: PROG took N s" for how long a test program ran).

  results.py kunit JSON         kunit.py parse --json output: one line per test case
  results.py ktap LOG PREFIX    kselftest runner output: one line per check of each
                                test program, and a failure for a program that
                                failed without a failing check (crash, timeout)
  results.py total FILE...      print every failure and "N passed, N failed"
"""
import json
import re
import sys


def kunit(path):
    def walk(node, prefix):
        name = prefix + node["name"]
        if node.get("sub_groups") or node.get("test_cases"):
            for sub in node.get("sub_groups", []):
                walk(sub, name + ".")
            for case in node.get("test_cases", []):
                status = {"PASS": "PASS", "SKIP": "SKIP"}.get(case["status"], "FAIL")
                print(status, "kunit:", name + "." + case["name"])
    data = json.load(open(path))
    found = False
    for group in data.get("sub_groups", []):
        found = True
        walk(group, "")
    if not found:
        print("FAIL kunit: no test results")


def ktap(path, prefix):
    nested = re.compile(r"^# (not )?ok \d+ - (.*?)(\s+# SKIP.*)?$")
    top = re.compile(r"^(not )?ok \d+ selftests: (\S+): (\S+)(.*)$")
    comment = re.compile(r"^# # (.*)$")
    took = re.compile(r"^# # time: (\d+) s$")
    fails_in_prog = 0
    seconds = None
    seen = 0
    notes = 0
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        m = nested.match(line)
        if m:
            seen += 1
            status = "SKIP" if m.group(3) else ("FAIL" if m.group(1) else "PASS")
            fails_in_prog += status == "FAIL"
            print(status, "%s: %s" % (prefix, m.group(2)))
            # What a test program says after a failing check explains it.
            notes = 30 if status == "FAIL" else 0
            continue
        m = took.match(line)
        if m:
            seconds = int(m.group(1))
            continue
        m = comment.match(line)
        if m and notes:
            notes -= 1
            print("NOTE %s: %s" % (prefix, m.group(1)))
            continue
        m = top.match(line)
        if m:
            prog = m.group(3)
            if seconds is not None:
                print("TIME %s: %s took %d s" % (prefix, prog, seconds))
                seconds = None
            if "# SKIP" in m.group(4):
                print("SKIP %s: %s skipped" % (prefix, prog))
            elif m.group(1) and not fails_in_prog:
                print("FAIL %s: %s exited with a failure%s" % (prefix, prog, m.group(4)))
            fails_in_prog = 0
    if not seen:
        print("FAIL %s: no test results" % prefix)


def total(paths):
    counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}
    for p in paths:
        for line in open(p):
            status, _, name = line.rstrip("\n").partition(" ")
            if status == "TIME":
                continue
            counts[status] = counts.get(status, 0) + 1
            if status == "FAIL":
                print("FAILED:", name)
    line = "%d passed, %d failed" % (counts["PASS"], counts["FAIL"])
    if counts["SKIP"]:
        line += ", %d skipped" % counts["SKIP"]
    print(line)
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "kunit":
        kunit(sys.argv[2])
    elif cmd == "ktap":
        ktap(sys.argv[2], sys.argv[3])
    elif cmd == "total":
        sys.exit(total(sys.argv[2:]))
    else:
        sys.exit(__doc__)
