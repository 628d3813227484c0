#!/usr/bin/env python3
"""bench/table.py RESULTS [MACHINE]: the benchmark's table from the harness's `key value` lines."""
import sys


def load(path):
    values = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition(" ")
            values[key] = value
    return values


def num(values, key):
    try:
        return float(values[key])
    except (KeyError, ValueError):
        return None


def ms(v):
    if v is None:
        return "–"
    return "%.0f ms" % v if v >= 10 else "%.2f ms" % v


def secs(v):
    return "–" if v is None else "%.2f s" % (v / 1000)


def main():
    values = load(sys.argv[1])
    rows = []

    def row(figure, bot, against, ratio, target, met, note=""):
        verdict = "–" if met is None else ("met" if met else "MISSED")
        rows.append((figure, bot, against, ratio, target, verdict, note))

    def compare(figure, key_bot, key_other, limit, fmt=ms, note=""):
        a, b = num(values, key_bot + ".median"), num(values, key_other + ".median")
        if a is None or b is None:
            row(figure, fmt(a), fmt(b), "not measured", "≤ %.2g×" % limit, None, note)
            return
        r = a / b
        row(figure, fmt(a), fmt(b), "%.3f×" % r, "≤ %.2g×" % limit, r <= limit, note)

    probes = values.get("diag.probes", "?")
    compare("1. one diagnosis, warm bot", "diag.bot", "diag.ssh", 0.5,
            note="%s probes, verdict %s" % (probes, values.get("diag.verdict", "?")))
    cold, ssh = num(values, "diag.cold.median"), num(values, "diag.ssh.median")
    if cold is not None and ssh is not None:
        row("   the same, command line (new JVM)", ms(cold), ms(ssh), "%.3f×" % (cold / ssh), "(none)", None,
            "for comparison: java -cp, JVM start included")
    compare("1b. cold `check` from a shell", "diag.cold.launcher", "diag.ssh", 2.0,
            note="adapters/target/chatops-bot (class data sharing archive, C1, serial GC) against the script by hand")
    hits = values.get("cache.hits", "?")
    compare("2. repeat within TTL", "cache.bot", "diag.ssh", 0.02,
            note="cache hits %s" % hits
            + ("" if hits.split("/")[0] not in ("0", "?") else ": no result cache in this build"))

    for key, figure, target in (("slack.ack", "3. Slack ack, HTTP mode", True),
                                ("slack.burst", "   the same, as a burst", False)):
        p99, med = num(values, key + ".p99"), num(values, key + ".median")
        rate = values.get(key + ".rate", "?")
        how = "back to back from 4 senders" if rate == "0" else "%s a second from 4 senders" % rate
        if p99 is None:
            row(figure, "–", "3 s (Slack)", "not measured", "p99 < 50 ms" if target else "(none)", None)
        else:
            row(figure, "p99 %s (median %s)" % (ms(p99), ms(med)), "3 s (Slack)", "%.3f×" % (p99 / 3000),
                "p99 < 50 ms" if target else "(none)", (p99 < 50) if target else None,
                "%s requests, %s; %s; the bot's JVM: %s" % (values.get(key + ".n", "?"), how,
                                         values.get(key + ".kinds", "").replace("_", " "),
                                         values.get("slack.jvm", "?").replace(",", " ")))

    if values.get("sweep.bot") == "unsupported":
        row("4. sweep of 100 host entries", "no sweep command", secs(num(values, "sweep.pssh.median")),
            "not measured", "≤ 1×", None, values.get("sweep.bot.why", "").replace("_", " "))
    else:
        compare("4. sweep of 100 host entries", "sweep.bot", "sweep.pssh", 1.0, fmt=secs,
                note="parallel-ssh -p 32")
    compare("5. diagnosis, 1 GiB error log", "log.1G", "log.1M", 1.1, note="against the same host with a 1 MiB log")

    peak, hwm = num(values, "sweep.rss.peak"), num(values, "sweep.rss.hwm")
    if peak is None:
        row("6. bot RSS during the sweep", "–", "–", "not measured", "< 256 MiB", None)
    else:
        worst = max(peak, hwm or 0)
        row("6. bot RSS during the sweep", "%.0f MiB (VmHWM %.0f MiB)" % (peak, hwm or 0), "–",
            "%.2f× of 256 MiB" % (worst / 256), "< 256 MiB", worst < 256,
            "max heap %.0f MiB; the image's settings: %s%s; with %.0f MiB of kept evidence"
            % (num(values, "sweep.heap.max") or 0, values.get("sweep.jvm", "?").replace(",", " "),
               "" if values.get("sweep.malloc.arenas", "default") == "default"
               else ", MALLOC_ARENA_MAX=" + values["sweep.malloc.arenas"],
               num(values, "sweep.kept.evidence") or 0))

    verdicts = set()
    for label, figure in (("helper", "7. host CPU per diagnosis, root helper"),
                          ("fallback", "   the same without it (one sudo each)")):
        mean = num(values, "hostcpu.%s.mean" % label)
        verdicts.add(values.get("hostcpu.%s.verdict" % label))
        note = "ran through the %s path, %s sudo calls, %s probes, %s; wall median %s" % (
            values.get("hostcpu.%s.path" % label, "?"), values.get("hostcpu.%s.sudo" % label, "?"),
            values.get("hostcpu.%s.probes" % label, "?"), values.get("hostcpu.%s.verdict" % label, "?").replace("_", " "),
            ms(num(values, "hostcpu.%s.wall.median" % label)))
        if mean is None:
            row(figure, "–", "–", "not measured", "≤ 80 ms", None)
        else:
            row(figure, ms(mean), "80 ms", "%.2f×" % (mean / 80), "≤ 80 ms", mean <= 80, note)
    if len(verdicts) > 1:
        rows.append(("   DIFFERENT verdicts with and without the helper", "", "", "", "same", "MISSED",
                     " / ".join(sorted(str(v) for v in verdicts))))
    compare("8. warm diagnosis, ssh.keepAlive 60s", "keepalive.on", "keepalive.off", 1.0,
            note="against keepAlive off, interleaved; host CPU %s against %s"
            % (ms(num(values, "keepalive.on.cpu.median")), ms(num(values, "keepalive.off.cpu.median"))))

    # 9. a 1,000-host sweep on paper, from this run's per-host costs: each host of a fleet has its own CPUs, so a
    # sweep takes the longer of its rounds (hosts at a time) and the sweeping machine's CPU for all hosts
    cpus = num(values, "machine.cpus") or 2
    bot_wall, bot_cpu = num(values, "diag.bot.median"), num(values, "cpu.bot.client.median")
    ssh_wall = num(values, "diag.ssh.median")
    sweep_pssh_cpu = num(values, "cpu.sweep.pssh.client.median")
    ssh_cpu = sweep_pssh_cpu / 100 if sweep_pssh_cpu is not None else num(values, "cpu.ssh.client.median")
    if None in (bot_wall, bot_cpu, ssh_wall, ssh_cpu):
        row("9. sweep of 1,000 hosts, on paper", "–", "–", "not measured", "≤ 1×", None)
    else:
        rounds_bot, rounds_pssh = -(-1000 // 16), -(-1000 // 32)
        bot = max(rounds_bot * bot_wall, 1000 * bot_cpu / cpus)
        pssh = max(rounds_pssh * ssh_wall, 1000 * ssh_cpu / cpus)
        row("9. sweep of 1,000 hosts, on paper", secs(bot), secs(pssh), "%.3f×" % (bot / pssh), "≤ 1×", bot <= pssh,
            "bot: max(%d rounds of 16 × %s, 1000 × %s client CPU / %d CPUs); parallel-ssh -p 32: max(%d × %s, "
            "1000 × %s / %d)" % (rounds_bot, ms(bot_wall), ms(bot_cpu), cpus, rounds_pssh, ms(ssh_wall), ms(ssh_cpu),
                                 cpus))

    header = ("figure", "bot", "against", "ratio", "target", "", "notes")
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = lambda r: "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |"
    print(line(header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in rows:
        print(line(r))
    print()
    for part in ("diagnose", "slack", "slack-burst", "sweep", "host-cpu-helper", "host-cpu-fallback", "keepalive"):
        if part + ".failed" in values:
            print("the %s harness failed: %s" % (part, values[part + ".failed"].replace("_", " ")))
    print("where the time goes: SSH connection alone, bot (JSch, warm) %s; OpenSSH `ssh host true` %s "
          "(%s with curve25519 key exchange); time inside the bot's runner for the last diagnosis %s ms"
          % (ms(num(values, "diag.bot.connect.median")), ms(num(values, "diag.ssh.connect.median")),
             ms(num(values, "diag.ssh.connect.curve25519.median")), values.get("diag.inside.ms", "?")))
    print("CPU per diagnosis: bot %s + host %s; ssh client %s + host %s. Per sweep: bot %s + host %s; "
          "parallel-ssh and its ssh clients %s + host %s"
          % tuple(ms(num(values, k + ".median")) for k in (
              "cpu.bot.client", "cpu.bot.host", "cpu.ssh.client", "cpu.ssh.host", "cpu.sweep.bot.client",
              "cpu.sweep.bot.host", "cpu.sweep.pssh.client", "cpu.sweep.pssh.host")))
    print("machine: %s CPUs, %s, %s, load average at start %s"
          % (values.get("machine.cpus", "?"), values.get("machine.memory", "?"),
             values.get("machine.jdk", "?").replace("_", " "), values.get("machine.load", "?")))
    missed = [r[0] for r in rows if r[5] == "MISSED"]
    unmeasured = [r[0] for r in rows if r[5] == "–" and r[4] != "(none)"]
    print("targets missed: %s" % (", ".join(missed) if missed else "none"))
    if unmeasured:
        print("not measured: %s" % ", ".join(unmeasured))


if __name__ == "__main__":
    main()
