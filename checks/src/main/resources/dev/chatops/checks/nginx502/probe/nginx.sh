# nginx502 probe "nginx": every running nginx master, the config it runs with (nginx -T with the
# master's own -p/-c), and the error and access logs that config names, cut on this host to the
# last @WINDOW@ seconds and @LOG_BYTES@ bytes per file. Read-only; never exits early (a transport may
# run several probes in one shell). Output sections start with "@@nginx502".
W=@WINDOW@
LOGCAP=@LOG_BYTES@
DUMPCAP=@DUMP_BYTES@
now=$(date +%s)
cut_err=$(date -d "@$((now - W))" '+%Y/%m/%d %H:%M:%S' 2>/dev/null)
cut_acc=$(date -d "@$((now - W))" '+%Y%m%d%H%M%S' 2>/dev/null)
echo "@@nginx502 clock now=$now tz=$(date +%z) cut=$cut_acc"
pslist() { ps -eo pid,ppid,user,args 2>/dev/null || ps -o pid,ppid,user,args 2>/dev/null; }
procs=$(pslist)
echo "@@nginx502 processes"
printf '%s\n' "$procs" | awk 'NR > 1 && $4 == "nginx:" { print }' | head -n 200
found=$(printf '%s\n' "$procs" | awk 'NR > 1 && $4 == "nginx:" && $5 == "master" { print }' | head -n 8)
if [ -z "$found" ]; then
  bin=$(command -v nginx 2>/dev/null)
  for b in /usr/sbin/nginx /usr/local/sbin/nginx /usr/local/nginx/sbin/nginx /usr/bin/nginx; do
    [ -n "$bin" ] && break
    [ -x "$b" ] && bin=$b
  done
  if [ -z "$bin" ]; then
    echo "@@nginx502 not-installed"
  else
    echo "@@nginx502 not-running bin=$bin"
    # the config it would start with, so a start failure (nginx -t) can be named
    found="0 0 - nginx: master process $bin"
  fi
fi

extract_logs() {
  awk '
    /^# configuration file / { next }
    {
      line = $0
      sub(/(^|[ \t])#.*$/, "", line)
      n = split(line, parts, ";")
      for (i = 1; i <= n; i++) {
        s = parts[i]
        sub(/^.*[{}]/, "", s)
        sub(/^[ \t]+/, "", s)
        if (s ~ /^(error_log|access_log)[ \t]/) {
          split(s, w, /[ \t]+/)
          p = w[2]
          gsub(/["\047]/, "", p)
          print w[1], p
        }
      }
    }'
}

walk_conf() {
  # what nginx -T would print, for a user that may read the files but not run nginx -t
  list=$1
  base=$2
  i=0
  while [ "$i" -lt 300 ]; do
    i=$((i + 1))
    f=$(printf '%s\n' "$list" | sed -n "${i}p")
    [ -z "$f" ] && break
    echo "# configuration file $f:"
    cat "$f" 2>&1
    echo
    incs=$(awk '{ sub(/(^|[ \t])#.*$/, ""); n = split($0, parts, ";"); for (j = 1; j <= n; j++) { s = parts[j]; sub(/^.*[{}]/, "", s); sub(/^[ \t]+/, "", s); if (s ~ /^include[ \t]/) { split(s, w, /[ \t]+/); p = w[2]; gsub(/["\047]/, "", p); print p } } }' "$f" 2>/dev/null)
    for pat in $incs; do
      case $pat in /*) ;; *) pat="$base/$pat" ;; esac
      for g in $pat; do
        [ -f "$g" ] || continue
        case "
$list
" in *"
$g
"*) ;; *) list="$list
$g" ;; esac
      done
    done
  done
}

read_log() {
  kind=$1
  path=$2
  echo "@@nginx502 log kind=$kind path=$path"
  if [ ! -e "$path" ]; then echo "@@nginx502 log-missing"; return; fi
  if [ ! -r "$path" ]; then echo "@@nginx502 log-unreadable"; return; fi
  size=$(stat -L -c %s "$path" 2>/dev/null || wc -c < "$path")
  echo "@@nginx502 log-size $size"
  if [ "$kind" = error ]; then
    tail -c "$LOGCAP" "$path" | awk -v cut="$cut_err" -v keep=800 '
      {
        ts = substr($0, 1, 19)
        if (ts ~ /^[0-9][0-9][0-9][0-9]\/[0-9][0-9]\/[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]$/) {
          inwin = (cut == "" || ts >= cut)
          if (first == "") first = ts
          last = ts
        }
        if (!inwin) {
          if ($0 ~ /upstream|worker_connections|Too many open|No space left|\[emerg\]|\[alert\]/) {
            older++
            if (older == 1) ofirst = substr($0, 1, 1000)
            olast[older % 3] = substr($0, 1, 1000)
          }
          next
        }
        if (substr($0, 21, 8) ~ /^\[(debug|info|notice)\]/) next
        total++
        ring[total % keep] = substr($0, 1, 1500)
      }
      END {
        start = total - keep + 1
        if (start < 1) start = 1
        for (i = start; i <= total; i++) print ring[i % keep]
        print "@@nginx502 log-window total=" total + 0 " kept=" (total >= start ? total - start + 1 : 0) " first=" first " last=" last
        print "@@nginx502 log-older count=" older + 0
        if (older >= 1) print ofirst
        for (i = older - 2; i <= older; i++) if (i > 1) print olast[i % 3]
      }'
  else
    tail -c "$LOGCAP" "$path" | awk -v cut="$cut_acc" -v keep=1500 '
      BEGIN { split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", m, " "); for (i = 1; i <= 12; i++) mon[m[i]] = sprintf("%02d", i) }
      {
        key = ""
        if (match($0, /\[[0-9][0-9]\/[A-Z][a-z][a-z]\/[0-9][0-9][0-9][0-9]:[0-9][0-9]:[0-9][0-9]:[0-9][0-9]/)) {
          t = substr($0, RSTART + 1, 20)
          key = substr(t, 8, 4) mon[substr(t, 4, 3)] substr(t, 1, 2) substr(t, 13, 2) substr(t, 16, 2) substr(t, 19, 2)
        } else if (match($0, /[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]/)) {
          t = substr($0, RSTART, 19)
          key = substr(t, 1, 4) substr(t, 6, 2) substr(t, 9, 2) substr(t, 12, 2) substr(t, 15, 2) substr(t, 18, 2)
        }
        if (key != "") {
          inwin = (cut == "" || key >= cut)
          if (first == "") first = key
          last = key
        }
        bad = ($0 ~ /(^|[^0-9.])(5[0-9][0-9]|009)([^0-9.]|$)/)
        if (!inwin) {
          if (bad) { older++; olast[older % 3] = substr($0, 1, 1000); if (older == 1) ofirst = substr($0, 1, 1000) }
          next
        }
        total++
        recent[total % 20] = substr($0, 1, 1500)
        if (bad) { n5++; ring[n5 % keep] = substr($0, 1, 1500) }
      }
      END {
        start = n5 - keep + 1
        if (start < 1) start = 1
        for (i = start; i <= n5; i++) print ring[i % keep]
        print "@@nginx502 log-recent"
        rs = total - 19
        if (rs < 1) rs = 1
        for (i = rs; i <= total; i++) print recent[i % 20]
        print "@@nginx502 log-window total=" total + 0 " kept=" (n5 >= start ? n5 - start + 1 : 0) " candidates=" n5 + 0 " first=" first " last=" last
        print "@@nginx502 log-older count=" older + 0
        if (older >= 1) print ofirst
        for (i = older - 2; i <= older; i++) if (i > 1) print olast[i % 3]
      }'
  fi
  # the window may reach back into the file rotated away recently
  if [ -f "$path.1" ] && [ "${size:-0}" -lt "$LOGCAP" ]; then
    m=$(stat -L -c %Y "$path.1" 2>/dev/null || echo 0)
    if [ "$m" -ge $((now - W)) ]; then read_rotated "$kind" "$path.1"; fi
  fi
}

read_rotated() {
  [ "$ROTATED" = 1 ] && return
  ROTATED=1
  read_log "$1" "$2"
  ROTATED=0
}

seen=""
count=0
[ -n "$found" ] && printf '%s\n' "$found" | while read -r pid ppid user w1 w2 w3 rest; do
  set -f
  # shellcheck disable=SC2086
  set -- $rest
  set +f
  [ $# -ge 1 ] || continue
  bin=$1
  shift
  conf=""
  prefix=""
  while [ $# -gt 0 ]; do
    case $1 in
      -c) [ $# -ge 2 ] && { conf=$2; shift; } ;;
      -c?*) conf=${1#-c} ;;
      -p) [ $# -ge 2 ] && { prefix=$2; shift; } ;;
      -p?*) prefix=${1#-p} ;;
    esac
    shift
  done
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null)
  if [ -n "$exe" ] && [ -x "$exe" ]; then bin=$exe; fi
  case $bin in */*) ;; *) bin=$(command -v "$bin" 2>/dev/null || echo "$bin") ;; esac
  [ -x "$bin" ] || bin=$(command -v nginx 2>/dev/null || echo "$bin")
  id="$bin|$prefix|$conf"
  case "
$seen
" in *"
$id
"*) continue ;; esac
  seen="$seen
$id"
  count=$((count + 1))
  [ "$count" -gt 4 ] && { echo "@@nginx502 more-masters"; break; }
  echo "@@nginx502 instance pid=$pid user=$user bin=$bin prefix=$prefix conf=$conf"
  v=$("$bin" -V 2>&1)
  echo "@@nginx502 version"
  printf '%s\n' "$v" | head -c 8192
  cprefix=$(printf '%s\n' "$v" | tr ' ' '\n' | sed -n 's/^--prefix=//p' | head -n 1)
  cconf=$(printf '%s\n' "$v" | tr ' ' '\n' | sed -n 's/^--conf-path=//p' | head -n 1)
  cerr=$(printf '%s\n' "$v" | tr ' ' '\n' | sed -n 's/^--error-log-path=//p' | head -n 1)
  cacc=$(printf '%s\n' "$v" | tr ' ' '\n' | sed -n 's/^--http-log-path=//p' | head -n 1)
  p=${prefix:-${cprefix:-/usr/local/nginx/}}
  case $p in */) ;; *) p="$p/" ;; esac
  c=${conf:-${cconf:-conf/nginx.conf}}
  case $c in /*) ;; *) c="$p$c" ;; esac
  echo "@@nginx502 paths prefix=$p conf=$c"
  set --
  [ -n "$prefix" ] && set -- -p "$prefix"
  [ -n "$conf" ] && set -- "$@" -c "$conf"
  dump=$("$bin" "$@" -T 2>&1)
  rc=$?
  echo "@@nginx502 dump exit=$rc"
  printf '%s\n' "$dump" | head -c "$DUMPCAP"
  echo "@@nginx502 dump-end"
  if [ "$rc" -ne 0 ]; then
    dump=$(walk_conf "$c" "${c%/*}")
    echo "@@nginx502 walk"
    printf '%s\n' "$dump" | head -c "$DUMPCAP"
    echo "@@nginx502 walk-end"
  fi
  logs=$(printf '%s\n' "$dump" | extract_logs | awk '!seen[$0]++')
  printf '%s\n' "$logs" | grep -q '^error_log' || logs="$logs
error_log ${cerr:-logs/error.log}"
  printf '%s\n' "$logs" | grep -q '^access_log' || logs="$logs
access_log ${cacc:-logs/access.log}"
  printf '%s\n' "$logs" | while read -r kind path; do
    case $path in ''|off|stderr|syslog:*|memory:*|*'$'*) continue ;; esac
    case $path in /*) ;; *) path="$p$path" ;; esac
    echo "$kind $path"
  done | awk '!seen[$0]++' | head -n 12 | while read -r kind path; do
    read_log "${kind%_log}" "$path"
  done
done
