#!/usr/bin/env python3
"""Judges one `check nginx502 --format json` report against what a lab scenario expects.

    python3 expect.py REPORT.json --cause ID --at FILE:LINE [--at FILE:LINE ...]
    python3 expect.py REPORT.json --cause ID --fix-has TEXT [--summary-has TEXT ...]
    python3 expect.py REPORT.json --healthy
    python3 expect.py REPORT.json --verdict VERDICT [--summary-has TEXT ...]

--cause: the first cause must have this id, and one of its fixes must name one of the --at
locations (any of them: a fix may rightly replace a directive or go next to it); with --fix-has,
one of its fixes must contain each TEXT (a command, where no host file names the fix: a container's
restart), and with --summary-has the summary must name each TEXT.
--healthy: no current cause: verdict healthy, or any verdict but unreachable with no causes.
--verdict: exactly this verdict (e.g. inconclusive, when the host hides what the check needs),
and the summary must contain every --summary-has text (case-insensitive), e.g. the path of the
log the check could not read.

Prints one line: `ok DURATION_MS FIRST_CAUSE` when the report matches, otherwise
`differs DURATION_MS: what was expected; what the report says`. Exit 0 when it matches, 1 when
it differs, 2 when the report cannot be read.
"""
import argparse
import json
import os
import sys


def location(text):
    path, sep, line = text.rpartition(":")
    if not sep or not line.isdigit():
        raise argparse.ArgumentTypeError("%s is not FILE:LINE" % text)
    return os.path.realpath(path), int(line)


def described_fixes(fixes):
    parts = []
    for f in fixes:
        where = ""
        if f.get("file"):
            where = " at %s:%s" % (f.get("file"), f.get("line"))
        parts.append("%s %r%s" % (f.get("kind", "?"), f.get("text", ""), where))
    return "; ".join(parts) if parts else "no fixes"


def described(report):
    causes = report.get("causes") or []
    text = "verdict %s" % report.get("verdict")
    if causes:
        first = causes[0]
        text += ", first cause %s (of %s) with %s" % (
            first.get("id"), ", ".join(str(c.get("id")) for c in causes), described_fixes(first.get("fixes") or []))
    else:
        text += ", no causes"
    if report.get("summary"):
        text += "; summary: %s" % report["summary"]
    failed = [p for p in report.get("probes") or [] if p.get("exit") not in (0, None)]
    if failed:
        text += "; probes that failed: %s" % ", ".join("%s (exit %s)" % (p.get("name"), p.get("exit")) for p in failed)
    return text


def judge(report, args):
    if args.verdict:
        expected = "expected verdict %s" % args.verdict
        if args.summary_has:
            expected += " with a summary naming %s" % " and ".join(repr(t) for t in args.summary_has)
        summary = str(report.get("summary") or "").lower()
        matched = report.get("verdict") == args.verdict and all(t.lower() in summary for t in args.summary_has)
        return matched, expected
    if args.healthy:
        causes = report.get("causes") or []
        verdict = report.get("verdict")
        if verdict == "healthy" or (verdict != "unreachable" and verdict is not None and not causes):
            return True, "expected no current cause"
        return False, "expected verdict healthy (no current cause)"
    expected = "expected first cause %s" % args.cause
    if args.at:
        expected += " with a fix at %s" % " or ".join("%s:%d" % at for at in args.at)
    if args.fix_has:
        expected += " with a fix saying %s" % " and ".join(repr(t) for t in args.fix_has)
    if args.summary_has:
        expected += " and a summary naming %s" % " and ".join(repr(t) for t in args.summary_has)
    causes = report.get("causes") or []
    if report.get("verdict") != "cause-found" or not causes or causes[0].get("id") != args.cause:
        return False, expected
    summary = str(report.get("summary") or "").lower()
    if not all(t.lower() in summary for t in args.summary_has):
        return False, expected
    texts = [str(f.get("text") or "") for f in causes[0].get("fixes") or [] if isinstance(f, dict)]
    if not all(any(t in x for x in texts) for t in args.fix_has):
        return False, expected
    if not args.at:
        return True, expected
    for fix in causes[0].get("fixes") or []:
        if not fix.get("file") or fix.get("line") is None:
            continue
        if (os.path.realpath(str(fix["file"])), int(fix["line"])) in args.at:
            return True, expected
    return False, expected


def main():
    parser = argparse.ArgumentParser(description="judges a check nginx502 JSON report for the fault lab")
    parser.add_argument("report")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--cause")
    what.add_argument("--healthy", action="store_true")
    what.add_argument("--verdict", choices=["healthy", "cause-found", "inconclusive", "unreachable"])
    parser.add_argument("--at", type=location, action="append", default=[])
    parser.add_argument("--summary-has", action="append", default=[], metavar="TEXT")
    parser.add_argument("--fix-has", action="append", default=[], metavar="TEXT")
    args = parser.parse_args()
    if args.cause and not args.at and not args.fix_has:
        parser.error("--cause needs at least one --at FILE:LINE or --fix-has TEXT")
    if (args.at or args.fix_has) and not args.cause:
        parser.error("--at and --fix-has go with --cause")
    if args.summary_has and not (args.verdict or args.cause):
        parser.error("--summary-has goes with --verdict or --cause")
    if any(not t.strip() for t in args.summary_has):
        parser.error("--summary-has needs a non-empty text")
    try:
        with open(args.report, encoding="utf-8") as f:
            report = json.load(f)
        if not isinstance(report, dict):
            raise ValueError("the report is not a JSON object")
    except (OSError, ValueError) as e:
        print("differs -: the report is not readable JSON (%s)" % e)
        return 2
    matched, expected = judge(report, args)
    duration = report.get("durationMs", "-")
    if matched:
        first = (report.get("causes") or [{}])[0].get("id", report.get("verdict"))
        print("ok %s %s" % (duration, first))
        return 0
    print("differs %s: %s; the report says %s" % (duration, expected, described(report)))
    return 1


if __name__ == "__main__":
    sys.exit(main())
