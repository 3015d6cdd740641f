"""Summarises a junit XML report of ceph/s3-tests (run-s3-tests): how many tests were selected,
passed and failed, and the failures grouped by cause, so that a run says at a glance what is
left and why.

A failure's cause is the S3 error code or the first line of the assertion that failed, with
numbers and names taken out so that alike failures group.

    python3 summarize.py junit.xml
"""

import re
import sys
import xml.etree.ElementTree as ET

def cause(message):
    code = re.search(r"An error occurred \((\w+)\) when calling the (\w+) operation", message)
    if code:
        return "%s: %s" % (code.group(2), code.group(1))
    first = next((line for line in message.splitlines() if line.strip()), "no message")
    first = re.sub(r"0x[0-9a-f]+|\b\d+\b", "N", first)
    first = re.sub(r"'s3t-[a-z0-9-]+'", "'BUCKET'", first)
    return first[:160]


def main(path):
    root = ET.parse(path).getroot()
    # A test whose teardown failed too is reported twice: its first failure counts.
    outcomes = {}
    for case in root.iter("testcase"):
        name = case.get("name")
        problem = case.find("failure")
        if problem is None:
            problem = case.find("error")
        if problem is not None:
            text = (problem.get("message") or "") + "\n" + (problem.text or "")
            if outcomes.get(name, ("",))[0] != "failed":
                outcomes[name] = ("failed", cause(text))
        elif case.find("skipped") is not None:
            outcomes.setdefault(name, ("skipped", None))
        else:
            outcomes.setdefault(name, ("passed", None))
    passed, failed, skipped = [], {}, []
    for name, (outcome, label) in outcomes.items():
        if outcome == "failed":
            failed.setdefault(label, []).append(name)
        elif outcome == "skipped":
            skipped.append(name)
        else:
            passed.append(name)
    failures = sum(len(names) for names in failed.values())
    ran = len(passed) + failures
    print("selected %d: passed %d, failed %d, skipped by the suite itself %d"
          % (ran + len(skipped), len(passed), failures, len(skipped)))
    if ran:
        print("passed %.1f %% of those that ran" % (100.0 * len(passed) / ran))
    for label, names in sorted(failed.items(), key=lambda item: (-len(item[1]), item[0])):
        print("\n%d  %s" % (len(names), label))
        for name in sorted(names):
            print("     " + name)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: summarize.py junit.xml")
    main(sys.argv[1])
