# nginx502 probe "host": the host's clock, init system, limits, disks, memory, sockets, security
# modules, service states, the process table, and the listening sockets as this user sees them (the
# fallback for when "sudo -n ss" is not allowed or ss is missing). Read-only; every tool is optional.
# one-line files are read by the shell itself (each program started costs the host a millisecond or
# two); not /proc/sys, whose files give a shell reading byte by byte only their first byte
# messages and byte counts the same on every host, whatever its locale
LC_ALL=C
export LC_ALL
line() {
  l=""
  { IFS= read -r l < "$1"; } 2>/dev/null
  printf '%s' "$l"
}
clock=$(date '+%s %z')
echo "now=${clock% *}"
echo "tz=${clock#* }"
up=$(line /proc/uptime)
echo "uptime=${up%% *}"
# one uname for the kernel and the host name (what hostname prints): "SYSNAME NODENAME RELEASE"
un=$(uname -snr 2>/dev/null)
un_rest=${un#* }
if [ -n "$un" ]; then echo "kernel=${un%% *} ${un_rest##* }"; else echo "kernel="; fi
echo "id=$(id 2>/dev/null)"
if [ -n "$un" ]; then echo "hostname=${un_rest% *}"; else echo "hostname=$(hostname 2>/dev/null)"; fi
if [ -d /run/systemd/system ]; then echo "systemd=yes"; else echo "systemd=no"; fi
echo "pid1=$(line /proc/1/comm)"
echo "ulimit_n=$(ulimit -n 2>/dev/null)"
# one awk reads the /proc/sys files (whole, where a shell gets only the first byte), the name servers
# and /etc/hosts: names nginx's own resolver never sees (it asks DNS servers only), which start-up
# resolution reads
awk -v nproc="$(nproc 2>/dev/null)" '
  function first(f,   l) {
    l = ""
    if ((getline l < f) <= 0) l = ""
    close(f)
    return l
  }
  BEGIN {
    print "file_nr=" first("/proc/sys/fs/file-nr")
    print "port_range=" first("/proc/sys/net/ipv4/ip_local_port_range")
    print "nproc=" nproc
    print "@@nginx502 resolv"
    n = 0
    while ((getline l < "/etc/resolv.conf") > 0) if (l ~ /^[ \t]*nameserver/ && n++ < 5) print l
    close("/etc/resolv.conf")
    print "@@nginx502 etc-hosts"
    n = 0
    while ((getline l < "/etc/hosts") > 0) if (l !~ /^[ \t]*(#|$)/ && n++ < 200) print substr(l, 1, 300)
  }' 2>/dev/null
# the first N lines of TEXT, by the shell (for short text: each line costs a copy of the rest)
first_lines() {
  fl_n=$1
  fl_t=$2
  [ -n "$fl_t" ] || return 0
  while [ "$fl_n" -gt 0 ]; do
    case $fl_t in
      *"
"*)
        printf '%s\n' "${fl_t%%"
"*}"
        fl_t=${fl_t#*"
"}
        ;;
      *)
        printf '%s\n' "$fl_t"
        return 0
        ;;
    esac
    fl_n=$((fl_n - 1))
  done
}
echo "@@nginx502 df"
first_lines 60 "$(df -P 2>/dev/null)"
echo "@@nginx502 df-inodes"
first_lines 60 "$(df -Pi 2>/dev/null)"
echo "@@nginx502 meminfo"
{ while IFS= read -r l; do
  case $l in MemTotal:* | MemAvailable:* | SwapTotal:* | SwapFree:*) printf '%s\n' "$l" ;; esac
done; } </proc/meminfo 2>/dev/null
echo "@@nginx502 sockstat"
ss -s 2>/dev/null || cat /proc/net/sockstat 2>/dev/null
# one ps for the limits and the process table
procs=$({ ps -eo pid,ppid,user,etimes,rss,args 2>/dev/null || ps -o pid,ppid,user,args; } | cut -c1-400)
echo "@@nginx502 limits"
# up to 4 nginx masters and the first worker of each (args start at the last column of the header)
printf '%s\n' "$procs" | awk '
  NR == 1 { a = NF; next }
  $a == "nginx:" && $(a + 1) == "master" && n < 4 { m[++n] = $1 }
  { if (!($2 in w)) w[$2] = $1 }
  END { for (i = 1; i <= n; i++) { print "pid", m[i]; if (m[i] in w) print "worker", w[m[i]] } }' | while read -r kind pid; do
  l=""
  { while IFS= read -r x; do case $x in "Max open files"*) l=$x; break ;; esac; done < "/proc/$pid/limits"; } 2>/dev/null
  echo "$kind=$pid $l"
done
echo "@@nginx502 security"
if command -v getenforce >/dev/null 2>&1; then echo "getenforce=$(getenforce 2>&1)"; fi
if command -v getsebool >/dev/null 2>&1; then getsebool httpd_can_network_connect httpd_can_network_relay 2>&1; fi
[ -r /sys/module/apparmor/parameters/enabled ] && echo "apparmor=$(line /sys/module/apparmor/parameters/enabled)"
echo "@@nginx502 initd"
n=0
for f in /etc/init.d/*; do
  [ -e "$f" ] || continue
  n=$((n + 1))
  [ "$n" -le 200 ] || break
  echo "${f##*/}"
done
if [ -d /run/systemd/system ]; then
  echo "@@nginx502 units"
  systemctl list-units --type=service --all --no-legend --no-pager --plain 2>&1 | head -n 400
  echo "@@nginx502 unit-details"
  units=$(systemctl list-units --type=service --all --no-legend --no-pager --plain 2>/dev/null \
    | awk '$4 == "failed" || $1 ~ /php.*fpm/ || $1 ~ /^nginx/ { print $1 }' | head -n 12)
  for u in $units; do
    systemctl show "$u" --no-pager -p Id -p ActiveState -p SubState -p Result -p ExecMainStatus \
      -p ExecMainExitTimestamp -p InactiveEnterTimestamp -p MainPID -p NRestarts -p LimitNOFILE -p FragmentPath 2>/dev/null
    echo
  done
fi
echo "@@nginx502 processes"
printf '%s\n' "$procs"
# listeners without sudo: addresses, and programs of this user only; else netstat, else /proc/net
if command -v ss >/dev/null 2>&1; then
  echo "@@nginx502 ss-listen"
  ss -ltxnp 2>/dev/null | head -n 1000
elif command -v netstat >/dev/null 2>&1; then
  echo "@@nginx502 netstat"
  netstat -ltnp 2>/dev/null | head -n 500
  netstat -lxnp 2>/dev/null | head -n 500
else
  echo "@@nginx502 proc"
  cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk '$4 == "0A"' | head -n 500
  echo "@@nginx502 proc-unix"
  awk '$4 == "00010000" && NF >= 8' /proc/net/unix 2>/dev/null | head -n 500
fi
