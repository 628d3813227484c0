#!/usr/bin/env python3
"""Composes evidence for causes that cannot be produced on this machine (no SELinux, no AppArmor, no OOM
killer to provoke, no disk to fill, no port range to exhaust, no DNS to change, no systemd).

Each composed file starts from a file recorded from a real fault by record-evidence.sh and changes only
what the cause changes, in the exact formats nginx 1.22, the kernel, auditd and systemd write
(nginx502-causes.md quotes them): error-log lines, access-log lines, dmesg/audit lines, df, ss -s,
getent, systemctl. Everything else (config dump, processes, listeners, upstream checks) stays as
recorded.

usage: checks/src/test/lab/compose-evidence.py [NAME...]   (default: all)
"""
import json
import os
import re
import sys
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
EVIDENCE = os.path.join(HERE, "..", "resources", "evidence")
MARK = "@@nginx502 "


def load(name):
    with open(os.path.join(EVIDENCE, name + ".json"), encoding="utf-8") as f:
        return json.load(f)


def save(name, ev):
    with open(os.path.join(EVIDENCE, name + ".json"), "w", encoding="utf-8") as f:
        json.dump(ev, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print("composed", name)


def host_now(ev):
    m = re.search(r"^now=(\d+)$", ev["probes"]["host"]["stdout"], re.M)
    return datetime.fromtimestamp(int(m.group(1)), timezone.utc)


def uptime(ev):
    return float(re.search(r"^uptime=([\d.]+)$", ev["probes"]["host"]["stdout"], re.M).group(1))


def err_time(t):
    return t.strftime("%Y/%m/%d %H:%M:%S")


def acc_time(t):
    return t.strftime("%d/%b/%Y:%H:%M:%S +0000")


def replace_log(ev, kind, body_lines, recent=None, total=None):
    """Replaces the in-window lines of the first log of KIND in the nginx probe's output."""
    out = ev["probes"]["nginx"]["stdout"].split("\n")
    start = next(i for i, l in enumerate(out) if l.startswith(MARK + "log kind=" + kind))
    size = next(i for i in range(start, len(out)) if out[i].startswith(MARK + "log-size"))
    window = next(i for i in range(size, len(out)) if out[i].startswith(MARK + "log-window"))
    if kind == "error":
        new = out[:size + 1] + body_lines + out[window:]
        w = size + 1 + len(body_lines)
        new[w] = re.sub(r"total=\d+ kept=\d+", "total=%d kept=%d" % (len(body_lines), len(body_lines)), new[w])
    else:
        rec = next(i for i in range(size, window) if out[i] == MARK + "log-recent")
        recent = recent if recent is not None else body_lines[-20:]
        new = out[:size + 1] + body_lines + [out[rec]] + recent + out[window:]
        w = size + 2 + len(body_lines) + len(recent)
        new[w] = re.sub(r"total=\d+ kept=\d+ candidates=\d+",
                        "total=%d kept=%d candidates=%d" % (total or len(body_lines), len(body_lines), len(body_lines)),
                        new[w])
    ev["probes"]["nginx"]["stdout"] = "\n".join(new)


def nginx_pid(ev):
    m = re.search(r"^\s*(\d+)\s+(\d+)\s+\S+\s+nginx: worker process", ev["probes"]["nginx"]["stdout"], re.M)
    return m.group(1)


def incident(ev, n, message, status, request="GET /cart HTTP/1.1", upstream=None, server="shop.example.com",
             level="error"):
    """N error lines and N access lines over the last minute before collection."""
    now = host_now(ev)
    pid = nginx_pid(ev)
    errors, access = [], []
    for i in range(n):
        t = now - timedelta(seconds=60 - i * (50 // max(1, n)))
        fields = ", client: 127.0.0.1, server: %s, request: \"%s\"" % (server, request)
        if upstream:
            fields += ", upstream: \"%s\"" % upstream
        fields += ", host: \"%s\"" % server
        errors.append("%s [%s] %s#%s: *%d %s%s" % (err_time(t), level, pid, pid, 40 + 2 * i, message, fields))
        access.append("127.0.0.1 - - [%s] \"%s\" %d 157 \"-\" \"curl/7.88.1\"" % (acc_time(t), request, status))
    replace_log(ev, "error", errors)
    replace_log(ev, "access", access)
    return errors


def host_section(ev, section, lines, replace=True):
    out = ev["probes"]["host"]["stdout"].split("\n")
    i = out.index(MARK + section)
    j = next((k for k in range(i + 1, len(out)) if out[k].startswith(MARK)), len(out))
    body = lines if replace else out[i + 1:j] + lines
    ev["probes"]["host"]["stdout"] = "\n".join(out[:i + 1] + body + out[j:])


def host_value(ev, key, value):
    ev["probes"]["host"]["stdout"] = re.sub(r"^%s=.*$" % key, "%s=%s" % (key, value), ev["probes"]["host"]["stdout"],
                                            flags=re.M)


def dmesg_time(ev, t):
    boot = host_now(ev) - timedelta(seconds=uptime(ev))
    return "[%12.6f]" % (t - boot).total_seconds()


def append_kernel(ev, lines):
    p = ev["probes"]["kernel-log"]
    p["stdout"] = p["stdout"].rstrip("\n") + "\n" + "\n".join(lines) + "\n"


def selinux_denied():
    # RHEL-family host: nginx (httpd_t) may not connect to an unreserved port while httpd_can_network_connect is off
    ev = load("healthy")
    incident(ev, 14, "connect() to 127.0.0.1:28001 failed (13: Permission denied) while connecting to upstream", 502,
             upstream="http://127.0.0.1:28001/cart", level="crit")
    host_section(ev, "security", ["getenforce=Enforcing", "httpd_can_network_connect --> off",
                                  "httpd_can_network_relay --> off"])
    now = host_now(ev)
    pid = nginx_pid(ev)
    avc = []
    for i in range(3):
        t = now - timedelta(seconds=55 - 20 * i)
        avc.append("type=AVC msg=audit(%d.%03d:%d): avc:  denied  { name_connect } for  pid=%s comm=\"nginx\" dest=28001 "
                   "scontext=system_u:system_r:httpd_t:s0 tcontext=system_u:object_r:unreserved_port_t:s0 "
                   "tclass=tcp_socket permissive=0" % (t.timestamp(), 117 + i, 2231 + i, pid))
        avc.append("type=SYSCALL msg=audit(%d.%03d:%d): arch=c000003e syscall=42 success=no exit=-13 a0=b a1=55d3c "
                   "a2=10 a3=0 items=0 ppid=%s pid=%s auid=4294967295 uid=991 gid=991 euid=991 comm=\"nginx\" "
                   "exe=\"/usr/sbin/nginx\" subj=system_u:system_r:httpd_t:s0 key=(null)"
                   % (t.timestamp(), 117 + i, 2231 + i, 1, pid))
    ev["probes"]["audit-log"].update({"exit": 0, "stdout": "\n".join(avc) + "\n", "stderr": ""})
    save("selinux-denied", ev)


def apparmor_denied():
    # Ubuntu host: the nginx AppArmor profile lacks the php-fpm socket; the socket's own mode is fine
    ev = load("healthy-php")
    sock = re.search(r"fastcgi_pass unix:(\S+);", ev["probes"]["nginx"]["stdout"]).group(1)
    incident(ev, 9, "connect() to unix:%s failed (13: Permission denied) while connecting to upstream" % sock, 502,
             request="GET /index.php HTTP/1.1", upstream="fastcgi://unix:%s:" % sock, level="crit")
    host_section(ev, "security", ["apparmor=Y"])
    now = host_now(ev)
    pid = nginx_pid(ev)
    lines = []
    for i in range(3):
        t = now - timedelta(seconds=58 - 20 * i)
        lines.append("%s audit: type=1400 audit(%d.%03d:%d): apparmor=\"DENIED\" operation=\"connect\" "
                     "profile=\"/usr/sbin/nginx\" name=\"%s\" pid=%s comm=\"nginx\" requested_mask=\"wr\" "
                     "denied_mask=\"wr\" fsuid=33 ouid=33" % (dmesg_time(ev, t), t.timestamp(), 412, 187 + i, sock, pid))
    append_kernel(ev, lines)
    save("apparmor-denied", ev)


def oom_killed():
    # the backend grew until the kernel killed it, seconds before nginx's refused connections began
    ev = load("upstream-down-tcp")
    first = re.search(r"^(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) \[error\]", ev["probes"]["nginx"]["stdout"], re.M).group(1)
    t = datetime.strptime(first, "%Y/%m/%d %H:%M:%S").replace(tzinfo=timezone.utc) - timedelta(seconds=4)
    ts = dmesg_time(ev, t)
    append_kernel(ev, [
        "%s python3 invoked oom-killer: gfp_mask=0x140cca(GFP_HIGHUSER_MOVABLE|__GFP_COMP), order=0, oom_score_adj=0"
        % ts,
        "%s oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/system.slice,"
        "task=python3,pid=4242,uid=0" % ts,
        "%s Out of memory: Killed process 4242 (python3) total-vm:23843716kB, anon-rss:22412044kB, file-rss:0kB, "
        "shmem-rss:0kB, UID:0 pgtables:44876kB oom_score_adj:0" % ts,
    ])
    save("oom-killed", ev)


def resources_exhausted():
    # / is full: nginx cannot buffer request bodies to /var/lib/nginx/body and answers 500
    ev = load("healthy")
    incident(ev, 11, "pwritev() \"/var/lib/nginx/body/0000000042\" failed (28: No space left on device)", 500,
             request="POST /checkout HTTP/1.1", level="crit")
    out = ev["probes"]["host"]["stdout"]
    ev["probes"]["host"]["stdout"] = re.sub(r"^(/dev/vda\s+)(\d+)\s+\d+\s+\d+\s+\d+%( /)$",
                                            lambda m: "%s%s %s %s 100%%%s" % (m.group(1), m.group(2), m.group(2), 0,
                                                                               m.group(3)), out, flags=re.M)
    save("resources-exhausted", ev)


def ephemeral_ports():
    # a busy upstream without keepalive: every local port to it sits in TIME-WAIT
    ev = load("healthy")
    dump = ev["probes"]["nginx"]["stdout"]
    for line in ("    keepalive 16;\n", "        proxy_http_version 1.1;\n", "        proxy_set_header Connection \"\";\n"):
        assert line in dump, line
        dump = dump.replace(line, "")
    ev["probes"]["nginx"]["stdout"] = dump
    incident(ev, 16, "connect() failed (99: Cannot assign requested address) while connecting to upstream", 502,
             upstream="http://127.0.0.1:28001/cart")
    host_section(ev, "sockstat", ["Total: 28402", "TCP:   28377 (estab 41, closed 28311, orphaned 0, timewait 28311)",
                                  "", "Transport Total     IP        IPv6", "RAW\t  0         0         0",
                                  "UDP\t  4         3         1", "TCP\t  66        63        3"])
    save("ephemeral-ports-exhausted", ev)


def stale_dns():
    # the backend is addressed by name; its container moved to 127.0.0.2, nginx still uses what it resolved at start
    ev = load("upstream-down-tcp")
    ev["probes"]["nginx"]["stdout"] = ev["probes"]["nginx"]["stdout"].replace("    server 127.0.0.1:28001;",
                                                                              "    server backend.internal:28001;")
    up = ev["probes"]["upstreams"]
    up["stdout"] = up["stdout"].rstrip("\n") + "\n" + "\n".join([
        "tcp:backend.internal:28001 http exit=0  code=200 connect=0.000188 ttfb=0.001012",
        "name:backend.internal addr 127.0.0.2",
        "name:backend.internal getent-exit done",
    ]) + "\n"
    save("upstream-stale-dns", ev)


def wrong_address_localhost():
    # what "server localhost:28013;" becomes on hosts whose /etc/hosts maps localhost to ::1 as well
    ev = load("upstream-wrong-address-ipv6")
    ev["probes"]["nginx"]["stdout"] = ev["probes"]["nginx"]["stdout"].replace(
        "    server [::1]:28013;\n    server 127.0.0.1:28013;", "    server localhost:28013;")
    up = ev["probes"]["upstreams"]
    up["stdout"] = up["stdout"].rstrip("\n") + "\n" + "\n".join([
        "name:localhost addr 127.0.0.1", "name:localhost addr ::1", "name:localhost getent-exit done"]) + "\n"
    save("upstream-wrong-address-localhost", ev)


def not_installed():
    ev = load("nginx-not-running")
    clock = ev["probes"]["nginx"]["stdout"].split("\n")[0]
    ev["probes"]["nginx"]["stdout"] = clock + "\n" + MARK + "processes\n" + MARK + "not-installed\n"
    save("nginx-not-installed", ev)


def upstream_down_systemd():
    # the same refused connections on a systemd host, where the backend's unit has failed
    ev = load("upstream-down-tcp")
    host_value(ev, "systemd", "yes")
    host_value(ev, "pid1", "systemd")
    stopped = (host_now(ev) - timedelta(seconds=75)).strftime("%a %Y-%m-%d %H:%M:%S UTC")
    out = ev["probes"]["host"]["stdout"].rstrip("\n").split("\n")
    out += [MARK + "units",
            "cron.service                         loaded active   running Regular background program processing daemon",
            "nginx.service                        loaded active   running A high performance web server and a reverse proxy server",
            "shop.service                         loaded failed   failed  Shop storefront (node)",
            "ssh.service                          loaded active   running OpenBSD Secure Shell server",
            MARK + "unit-details",
            "Id=shop.service", "ActiveState=failed", "SubState=failed", "Result=exit-code", "ExecMainStatus=1",
            "ExecMainExitTimestamp=" + stopped, "InactiveEnterTimestamp=" + stopped, "MainPID=0", "NRestarts=5",
            "LimitNOFILE=524288", "FragmentPath=/etc/systemd/system/shop.service", "",
            "Id=nginx.service", "ActiveState=active", "SubState=running", "Result=success", "ExecMainStatus=0",
            "ExecMainExitTimestamp=", "InactiveEnterTimestamp=", "MainPID=811", "NRestarts=0", "LimitNOFILE=524288",
            "FragmentPath=/lib/systemd/system/nginx.service", ""]
    ev["probes"]["host"]["stdout"] = "\n".join(out) + "\n"
    save("upstream-down-systemd", ev)


def add_host_section(ev, section, lines, before="df"):
    """Adds a section the recorded host probe did not have yet, where host.sh prints it now."""
    out = ev["probes"]["host"]["stdout"].split("\n")
    i = out.index(MARK + before)
    ev["probes"]["host"]["stdout"] = "\n".join(out[:i] + [MARK + section] + lines + out[i:])


def add_upstream_lines(ev, lines, drop_tag=None):
    up = ev["probes"]["upstreams"]
    kept = [l for l in up["stdout"].rstrip("\n").split("\n") if drop_tag is None or not l.startswith(drop_tag + " ")]
    up["stdout"] = "\n".join(kept + lines) + "\n"


def ssl_handshake_sni():
    # the origin serves several names and refuses a handshake that names none (alert 40); nginx sends no SNI by
    # default, and the location already allows TLSv1.2 and TLSv1.3. The follow-up's openssl names the host (SNI)
    # when the config does, and that handshake completes; to the bare address it fails like nginx's.
    ev = load("upstream-ssl-handshake")
    dump = ev["probes"]["nginx"]["stdout"]
    old = "        proxy_pass https://127.0.0.1:28009;\n        proxy_ssl_protocols TLSv1.2;\n"
    assert old in dump
    ev["probes"]["nginx"]["stdout"] = dump.replace(
        old, "        proxy_pass https://origin.example.net:28009;\n        proxy_ssl_protocols TLSv1.2 TLSv1.3;\n")
    incident(ev, 6, "SSL_do_handshake() failed (SSL: error:0A000410:SSL routines::sslv3 alert handshake failure:SSL "
             "alert number 40) while SSL handshaking to upstream", 502, request="GET / HTTP/1.1",
             upstream="https://127.0.0.1:28009/")
    alert = ("tls 40F7C1B3F27F0000:error:0A000410:SSL routines:ssl3_read_bytes:sslv3 alert handshake failure:"
             "../ssl/record/rec_layer_s3.c:1605:SSL alert number 40")
    add_upstream_lines(ev, [
        "tcp:127.0.0.1:28009 http exit=56 curl: (56) Recv failure: Connection reset by peer  code=000 "
        "connect=0.000301 ttfb=0.000000",
        "tcp:127.0.0.1:28009 https exit=35 curl: (35) OpenSSL/3.0.17: error:0A000410:SSL routines::sslv3 alert "
        "handshake failure  code=000 connect=0.000290 ttfb=0.000000",
        "tcp:127.0.0.1:28009 tls CONNECTED(00000003)",
        "tcp:127.0.0.1:28009 " + alert,
        "tcp:127.0.0.1:28009 tls no peer certificate available",
        "tcp:127.0.0.1:28009 tls New, (NONE), Cipher is (NONE)",
        "tcp:127.0.0.1:28009 tls Verify return code: 0 (ok)",
        "tcp:origin.example.net:28009 http exit=56 curl: (56) Recv failure: Connection reset by peer  code=000 "
        "connect=0.000288 ttfb=0.000000",
        "tcp:origin.example.net:28009 https exit=0  code=200 connect=0.000301 ttfb=0.006120",
        "tcp:origin.example.net:28009 tls verify error:num=18:self-signed certificate",
        "tcp:origin.example.net:28009 tls CONNECTED(00000003)",
        "tcp:origin.example.net:28009 tls subject=CN = origin.example.net",
        "tcp:origin.example.net:28009 tls issuer=CN = origin.example.net",
        "tcp:origin.example.net:28009 tls New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384",
        "tcp:origin.example.net:28009 tls Verify return code: 18 (self-signed certificate)",
        "name:origin.example.net addr 127.0.0.1",
        "name:origin.example.net getent-exit done",
    ], drop_tag="tcp:127.0.0.1:28009")
    save("upstream-ssl-handshake-sni", ev)


def ssl_verify_no_ca_file():
    # the same verify failure on a host where the follow-up looked for the CA files: the file a fix would
    # name beside nginx.conf does not exist yet, the system bundle does
    ev = load("upstream-ssl-verify")
    prefix = "/tmp/nginx502-lab/ssl-verify"
    add_upstream_lines(ev, [
        "file:/etc/ssl/certs/ca-certificates.crt stat type=regular file size=219342",
        "file:%s/ssl/upstream-ca.pem stat: cannot statx '%s/ssl/upstream-ca.pem': No such file or directory"
        % (prefix, prefix),
        "file:/etc/pki/tls/certs/ca-bundle.crt stat: cannot statx '/etc/pki/tls/certs/ca-bundle.crt': No such file "
        "or directory",
        "file:/etc/ssl/ca-bundle.pem stat: cannot statx '/etc/ssl/ca-bundle.pem': No such file or directory",
    ])
    save("upstream-ssl-verify-no-ca-file", ev)


def dns_etc_hosts():
    # api.internal.example is listed only in /etc/hosts: getent (and nginx at start-up) finds it, nginx's
    # resolver asks DNS servers only, and the host's DNS server does not know it
    ev = load("dns-resolution-no-resolver")
    add_host_section(ev, "etc-hosts", ["127.0.0.1\tlocalhost", "::1\tlocalhost ip6-localhost ip6-loopback",
                                       "10.20.0.7\tapi.internal.example api   # the API box"])
    add_upstream_lines(ev, [
        "name:api.internal.example addr 10.20.0.7",
        "name:api.internal.example getent-exit done",
        "tcp:api.internal.example:8080 http exit=0  code=200 connect=0.000412 ttfb=0.002010",
    ], drop_tag="name:api.internal.example")
    up = ev["probes"]["upstreams"]
    up["stdout"] = "\n".join(l for l in up["stdout"].split("\n")
                             if not (l.startswith("tcp:api.internal.example:8080 ") and "exit=0" not in l)) 
    save("dns-resolution-etc-hosts", ev)


def wrong_socket_quiet_error_log():
    # the wrong-socket fault on a server whose error_log level hides the [crit] lines: only the access log's
    # 502s and the host tell; php-fpm runs and listens on its own socket all along
    ev = load("upstream-wrong-address-socket")
    replace_log(ev, "error", [])
    save("upstream-wrong-address-quiet-error-log", ev)


ALL = {"selinux-denied": selinux_denied, "apparmor-denied": apparmor_denied, "oom-killed": oom_killed,
       "resources-exhausted": resources_exhausted, "ephemeral-ports-exhausted": ephemeral_ports,
       "upstream-stale-dns": stale_dns, "upstream-wrong-address-localhost": wrong_address_localhost,
       "nginx-not-installed": not_installed, "upstream-down-systemd": upstream_down_systemd,
       "upstream-ssl-handshake-sni": ssl_handshake_sni, "upstream-ssl-verify-no-ca-file": ssl_verify_no_ca_file,
       "dns-resolution-etc-hosts": dns_etc_hosts,
       "upstream-wrong-address-quiet-error-log": wrong_socket_quiet_error_log}

if __name__ == "__main__":
    for name in sys.argv[1:] or ALL:
        ALL[name]()
