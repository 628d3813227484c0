#!/usr/bin/env python3
"""A container as Docker runs one, where no container engine runs: for the lab's container scenario.

    python3 container.py run --rootfs DIR --hostname NAME --log FILE [--cgroup DIR] -- COMMAND...
    python3 container.py init DIR NAME -- COMMAND...      (what `run` starts inside the namespaces)

`run` is the runtime's shim: it starts COMMAND in new PID, mount, UTS, IPC and network namespaces
(util-linux `unshare --fork --mount-proc`), with DIR as its root filesystem (pivot_root, as runc
does: chroot alone would leave the host's filesystem as the mount namespace's root), and writes
what COMMAND prints on stdout and stderr to FILE in Docker's json-file format, one JSON object a
line: {"log":"…\\n","stream":"stderr","time":"2026-11-30T10:00:00.123456789Z"}. With --cgroup it
first moves itself into that cgroup directory, so the container's processes show it in
/proc/PID/cgroup as Docker's do. On SIGTERM it stops the container's first process and exits once
it has.
"""
import ctypes
import json
import os
import signal
import subprocess
import sys
import threading
import time

MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 1 << 18
MNT_DETACH = 2
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}


def docker_time(ns):
    """RFC 3339 with nanoseconds as Go's time.RFC3339Nano prints it: trailing zeros dropped."""
    seconds, frac = divmod(ns, 1_000_000_000)
    text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(seconds))
    digits = ("%09d" % frac).rstrip("0")
    return text + ("." + digits if digits else "") + "Z"


def pump(stream, name, out, lock):
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", "replace")
        if not line.endswith("\n"):
            line += "\n"
        entry = json.dumps({"log": line, "stream": name, "time": docker_time(time.time_ns())},
                           separators=(",", ":"))
        with lock:
            out.write(entry + "\n")
            out.flush()


def children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(p) for p in f.read().split()]
    except OSError:
        return []


def run(args):
    opts = {}
    while args and args[0] != "--":
        if len(args) < 2:
            sys.exit("container.py run: %s needs a value" % args[0])
        opts[args[0]] = args[1]
        args = args[2:]
    command = args[1:]
    for required in ("--rootfs", "--hostname", "--log"):
        if required not in opts or not command:
            sys.exit("usage: container.py run --rootfs DIR --hostname NAME --log FILE [--cgroup DIR] -- COMMAND...")
    if "--cgroup" in opts:
        with open(os.path.join(opts["--cgroup"], "cgroup.procs"), "w") as f:
            f.write(str(os.getpid()))
    out = open(opts["--log"], "a", encoding="utf-8")
    lock = threading.Lock()
    proc = subprocess.Popen(
        ["unshare", "--pid", "--mount", "--uts", "--ipc", "--net", "--fork", "--mount-proc", "--kill-child",
         sys.executable, os.path.abspath(__file__), "init", opts["--rootfs"], opts["--hostname"], "--", *command],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def stop(signum, frame):
        for pid in children(proc.pid):  # the container's first process: its PID 1
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    pumps = [threading.Thread(target=pump, args=(proc.stdout, "stdout", out, lock)),
             threading.Thread(target=pump, args=(proc.stderr, "stderr", out, lock))]
    for t in pumps:
        t.start()
    for t in pumps:
        t.join()
    return proc.wait()


def init(args):
    if len(args) < 4 or args[2] != "--":
        sys.exit("usage: container.py init DIR NAME -- COMMAND...")
    root, hostname, command = os.path.abspath(args[0]), args[1], args[3:]
    libc = ctypes.CDLL(None, use_errno=True)

    def check(rc, what):
        if rc != 0:
            err = ctypes.get_errno()
            sys.exit("container init: %s failed: %s" % (what, os.strerror(err)))

    def mount(source, target, fstype, flags, data):
        check(libc.mount(source and source.encode(), target.encode(), fstype and fstype.encode(), flags,
                         data and data.encode()), "mount %s" % target)

    # the loopback interface of the new network namespace is down until someone brings it up
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    mount(None, "/", None, MS_REC | MS_PRIVATE, None)
    mount(root, root, None, MS_BIND | MS_REC, None)
    mount("proc", root + "/proc", "proc", 0, None)
    mount("tmpfs", root + "/dev", "tmpfs", 0, "mode=0755")
    for dev in ("null", "zero", "random", "urandom"):
        open(root + "/dev/" + dev, "w").close()
        mount("/dev/" + dev, root + "/dev/" + dev, None, MS_BIND, None)
    for name, target in (("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2"), ("fd", "/proc/self/fd")):
        os.symlink(target, root + "/dev/" + name)
    os.makedirs(root + "/.old", exist_ok=True)
    os.chdir(root)
    check(libc.syscall(SYS_PIVOT_ROOT[os.uname().machine], b".", b".old"), "pivot_root")
    os.chdir("/")
    check(libc.umount2(b"/.old", MNT_DETACH), "umount /.old")
    os.rmdir("/.old")
    check(libc.sethostname(hostname.encode(), len(hostname)), "sethostname")
    # the environment an image gives its command, found through the image's PATH as Docker does
    env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOSTNAME": hostname}
    os.execvpe(command[0], command, env)


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "run":
        sys.exit(run(sys.argv[2:]))
    if len(sys.argv) >= 2 and sys.argv[1] == "init":
        init(sys.argv[2:])
    sys.exit(__doc__)
