#!/usr/bin/env python3
"""Tests of container.py's json-file log: each line must be what Docker's json-file driver writes.

    python3 lab/test_container.py      (lab/run runs it before the scenarios)
"""
import io
import json
import os
import sys
import threading
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import container  # noqa: E402


class DockerTimeTest(unittest.TestCase):

    def test_dockerTime_nanoseconds_nineDigits(self):
        self.assertEqual("2026-11-30T10:00:00.123456789Z", container.docker_time(1796032800123456789))

    def test_dockerTime_trailingZeros_dropped(self):
        self.assertEqual("2026-11-30T10:00:00.12Z", container.docker_time(1796032800120000000))

    def test_dockerTime_wholeSecond_noFraction(self):
        self.assertEqual("2026-11-30T10:00:00Z", container.docker_time(1796032800000000000))


class PumpTest(unittest.TestCase):

    def pumped(self, data, stream="stderr"):
        out = io.StringIO()
        container.pump(io.BytesIO(data), stream, out, threading.Lock())
        return out.getvalue().splitlines()

    def test_pump_oneObjectPerLine(self):
        lines = self.pumped(b'2026/11/30 10:00:00 [error] 3#3: *1 connect() failed (111: Connection refused), '
                            b'request: "GET /cart HTTP/1.1"\nsecond\n')
        self.assertEqual(2, len(lines))
        first = json.loads(lines[0])
        self.assertEqual(["log", "stream", "time"], list(first))
        self.assertTrue(first["log"].endswith('request: "GET /cart HTTP/1.1"\n'))
        self.assertEqual("stderr", first["stream"])
        self.assertRegex(first["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$")
        # compact, in Docker's key order
        self.assertTrue(lines[0].startswith('{"log":"2026/11/30 10:00:00 [error] '), lines[0])
        self.assertIn('\\n","stream":"stderr","time":"', lines[0])

    def test_pump_lastLineWithoutNewline_getsOne(self):
        lines = self.pumped(b"no newline", "stdout")
        self.assertEqual({"log": "no newline\n", "stream": "stdout"},
                         {k: v for k, v in json.loads(lines[0]).items() if k != "time"})


if __name__ == "__main__":
    unittest.main()
