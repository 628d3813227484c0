#!/usr/bin/env python3
"""Tests of expect.py, the lab's judge: it must pass the right report and fail every wrong one.

    python3 lab/test_expect.py      (lab/run runs it before the scenarios)
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

EXPECT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "expect.py")
SITE = "/run/chatops-lab/nginx/sites/shop.conf"


def report(verdict="cause-found", causes=None, duration=412, summary="s"):
    return {"check": "nginx502", "host": "lab", "verdict": verdict, "durationMs": duration,
            "summary": summary, "causes": causes if causes is not None else [], "notes": [], "probes": []}


def cause(cause_id, *fixes):
    return {"id": cause_id, "title": "t", "confidence": 0.9, "evidence": [], "fixes": list(fixes)}


def directive(file, line):
    return {"kind": "directive", "text": "proxy_read_timeout 10s;", "file": file, "line": line}


def command(text):
    return {"kind": "command", "text": text}


class ExpectTest(unittest.TestCase):

    def judge(self, content, *args):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            f.write(content if isinstance(content, str) else json.dumps(content))
        try:
            done = subprocess.run([sys.executable, EXPECT, f.name, *args], capture_output=True, text=True)
        finally:
            os.unlink(f.name)
        return done.returncode, done.stdout.strip()

    def test_cause_rightIdAndLine_passes(self):
        rc, out = self.judge(report(causes=[cause("upstream-timeout", command("x"), directive(SITE, 8))]),
                             "--cause", "upstream-timeout", "--at", SITE + ":8")
        self.assertEqual(0, rc, out)
        self.assertEqual("ok 412 upstream-timeout", out)

    def test_cause_anyOfSeveralLocations_passes(self):
        rc, out = self.judge(report(causes=[cause("dns-resolution", directive(SITE, 1))]),
                             "--cause", "dns-resolution", "--at", SITE + ":8", "--at", SITE + ":1")
        self.assertEqual(0, rc, out)

    def test_cause_wrongLine_differs(self):
        rc, out = self.judge(report(causes=[cause("upstream-timeout", directive(SITE, 9))]),
                             "--cause", "upstream-timeout", "--at", SITE + ":8")
        self.assertEqual(1, rc)
        self.assertIn("expected first cause upstream-timeout with a fix at " + SITE + ":8", out)
        self.assertIn("at " + SITE + ":9", out)

    def test_cause_wrongFile_differs(self):
        rc, _ = self.judge(report(causes=[cause("upstream-timeout", directive("/etc/nginx/nginx.conf", 8))]),
                           "--cause", "upstream-timeout", "--at", SITE + ":8")
        self.assertEqual(1, rc)

    def test_cause_onlyCommandFixes_differs(self):
        rc, out = self.judge(report(causes=[cause("upstream-down", command("sudo systemctl restart shop"))]),
                             "--cause", "upstream-down", "--at", SITE + ":2")
        self.assertEqual(1, rc)
        self.assertIn("command 'sudo systemctl restart shop'", out)

    def test_cause_rightCauseSecond_differs(self):
        rc, out = self.judge(report(causes=[cause("upstream-down", directive(SITE, 2)),
                                            cause("upstream-wrong-address", directive(SITE, 2))]),
                             "--cause", "upstream-wrong-address", "--at", SITE + ":2")
        self.assertEqual(1, rc)
        self.assertIn("first cause upstream-down (of upstream-down, upstream-wrong-address)", out)

    def test_cause_verdictNotCauseFound_differs(self):
        rc, out = self.judge(report(verdict="unreachable", summary="host lab is reached over ssh, which is not configured"),
                             "--cause", "upstream-down", "--at", SITE + ":2")
        self.assertEqual(1, rc)
        self.assertIn("verdict unreachable, no causes; summary: host lab is reached over ssh", out)

    def test_healthy_healthyVerdict_passes(self):
        rc, out = self.judge(report(verdict="healthy"), "--healthy")
        self.assertEqual(0, rc, out)

    def test_healthy_inconclusiveWithoutCauses_passes(self):
        rc, out = self.judge(report(verdict="inconclusive"), "--healthy")
        self.assertEqual(0, rc, out)

    def test_healthy_causeFound_differs(self):
        rc, out = self.judge(report(causes=[cause("upstream-down", directive(SITE, 2))]), "--healthy")
        self.assertEqual(1, rc)
        self.assertIn("expected verdict healthy", out)

    def test_healthy_unreachable_differs(self):
        rc, _ = self.judge(report(verdict="unreachable"), "--healthy")
        self.assertEqual(1, rc)

    def test_verdict_rightVerdictAndPhrase_passes(self):
        rc, out = self.judge(report(verdict="inconclusive", summary="Could not read the error log /run/chatops-lab/nginx/logs/error.log: permission denied"),
                             "--verdict", "inconclusive", "--summary-has", "/run/chatops-lab/nginx/logs/error.log")
        self.assertEqual(0, rc, out)
        self.assertEqual("ok 412 inconclusive", out)

    def test_verdict_phraseOtherCase_passes(self):
        rc, out = self.judge(report(verdict="inconclusive", summary="cannot tell which binary master 4242 runs"),
                             "--verdict", "inconclusive", "--summary-has", "Which Binary")
        self.assertEqual(0, rc, out)

    def test_verdict_healthyWhenInconclusiveExpected_differs(self):
        rc, out = self.judge(report(verdict="healthy", summary="no 502s in the last 15 minutes"),
                             "--verdict", "inconclusive", "--summary-has", "error.log")
        self.assertEqual(1, rc)
        self.assertIn("expected verdict inconclusive with a summary naming 'error.log'", out)
        self.assertIn("the report says verdict healthy", out)

    def test_verdict_causeFoundWhenInconclusiveExpected_differs(self):
        rc, _ = self.judge(report(causes=[cause("upstream-down", directive(SITE, 2))], summary="error.log"),
                           "--verdict", "inconclusive")
        self.assertEqual(1, rc)

    def test_verdict_phraseMissing_differs(self):
        rc, out = self.judge(report(verdict="inconclusive", summary="something is wrong"),
                             "--verdict", "inconclusive", "--summary-has", "error.log")
        self.assertEqual(1, rc)
        self.assertIn("summary: something is wrong", out)

    def test_verdict_everyPhraseRequired(self):
        rc, _ = self.judge(report(verdict="inconclusive", summary="master 4242 runs in a container"),
                           "--verdict", "inconclusive", "--summary-has", "4242", "--summary-has", "error.log")
        self.assertEqual(1, rc)

    def test_verdict_noSummary_differs(self):
        r = report(verdict="inconclusive")
        del r["summary"]
        rc, _ = self.judge(r, "--verdict", "inconclusive", "--summary-has", "error.log")
        self.assertEqual(1, rc)

    def test_verdict_unknownVerdict_usageError(self):
        rc, _ = self.judge(report(verdict="inconclusive"), "--verdict", "maybe")
        self.assertEqual(2, rc)

    def test_summaryHas_withoutVerdict_usageError(self):
        rc, _ = self.judge(report(verdict="healthy"), "--healthy", "--summary-has", "x")
        self.assertEqual(2, rc)

    def test_cause_fixHas_matchesFixText(self):
        r = report(summary="docker container shop-web-1 (master pid 7): down",
                   causes=[cause("upstream-down", {"kind": "command", "text": "docker restart shop-web-1"})])
        rc, _ = self.judge(r, "--cause", "upstream-down", "--fix-has", "docker restart shop-web-1",
                           "--summary-has", "shop-web-1")
        self.assertEqual(0, rc)

    def test_cause_fixHasMissing_differs(self):
        r = report(causes=[cause("upstream-down", {"kind": "command", "text": "sudo systemctl start app"})])
        rc, out = self.judge(r, "--cause", "upstream-down", "--fix-has", "docker restart shop-web-1")
        self.assertEqual(1, rc)
        self.assertIn("docker restart shop-web-1", out)

    def test_cause_summaryMissing_differs(self):
        r = report(summary="upstream down",
                   causes=[cause("upstream-down", {"kind": "command", "text": "docker restart shop-web-1"})])
        rc, _ = self.judge(r, "--cause", "upstream-down", "--fix-has", "docker restart", "--summary-has", "shop-web-1")
        self.assertEqual(1, rc)

    def test_report_notJson_cannotBeRead(self):
        rc, out = self.judge("host lab is not allowed", "--healthy")
        self.assertEqual(2, rc)
        self.assertIn("not readable JSON", out)

    def test_report_failedProbes_named(self):
        r = report(verdict="inconclusive")
        r["probes"] = [{"name": "nginx-config", "exit": 1, "ms": 3, "truncated": False},
                       {"name": "error-log", "exit": 0, "ms": 3, "truncated": False}]
        rc, out = self.judge(r, "--cause", "upstream-down", "--at", SITE + ":2")
        self.assertEqual(1, rc)
        self.assertIn("probes that failed: nginx-config (exit 1)", out)
        self.assertNotIn("error-log", out)


if __name__ == "__main__":
    unittest.main()
