# nginx502 probe "nginx": every running nginx master, the config it runs with (nginx -T with the
# master's own -p/-c), and the logs that config names (files, the journal, the local syslog), cut on
# this host to the last @WINDOW@ seconds and @LOG_BYTES@ bytes per log. Read-only; never exits early
# (a transport may run several probes in one shell). Output sections start with "@@nginx502".
#
# ps text is written by the process itself, so it is never trusted: a master counts only when root
# owns it, the binary run here is never a path taken from its arguments (it is /proc/PID/exe when
# readable, else a root-owned binary in a root-owned place), and its -p/-c are used only when root
# owns them and nobody else can write them.
W=@WINDOW@
LOGCAP=@LOG_BYTES@
DUMPCAP=@DUMP_BYTES@
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH
export PATH
# each program started costs the host a millisecond or two: one date for the clock, one for both cuts
clock=$(date '+%s %z')
now=${clock% *}
cuts=$(date -d "@$((now - W))" '+%Y/%m/%d %H:%M:%S|%Y%m%d%H%M%S' 2>/dev/null)
cut_err=${cuts%|*}
cut_acc=${cuts#*|}
echo "@@nginx502 clock now=$now tz=${clock#* } cut=$cut_acc"
pslist() { ps -eo pid,ppid,user:32,args 2>/dev/null || ps -o pid,ppid,user,args 2>/dev/null; }
procs=$(pslist)
echo "@@nginx502 processes"
printf '%s\n' "$procs" | awk 'NR > 1 && ($4 == "nginx:" || $4 == "angie:") && n++ < 200 { print }'
masters=$(printf '%s\n' "$procs" | awk 'NR > 1 && ($4 == "nginx:" || $4 == "angie:") && $5 == "master" { print }')
# anyone can name a process "nginx: master process …"; only root starts the real one, so others are
# reported and never looked at (and cannot crowd the real masters out of the ones read)
printf '%s\n' "$masters" | awk 'NF >= 5 && $3 != "root" && n++ < 16 { print $1, $3 }' | while read -r pid user; do
  echo "@@nginx502 ignored pid=$pid user=$user why=not run by root"
done
found=$(printf '%s\n' "$masters" | awk 'NF >= 5 && $3 == "root" && n++ < 16 { print }')

# a path made only of characters that need no quoting anywhere
plain() {
  case $1 in
    /*) ;;
    *) return 1 ;;
  esac
  case $1 in
    *[!A-Za-z0-9._@:+/-]* | */../* | */.. | */./* | *//*) return 1 ;;
  esac
  return 0
}

# root owns the file and every directory above it, and nobody else can write any of them (a sticky
# directory such as /tmp is fine: others cannot replace what root put there)
safe_chain() {
  f=$1
  set --
  while :; do
    set -- "$@" "$f"
    [ "$f" = / ] && break
    f=${f%/*}
    [ -z "$f" ] && f=/
  done
  # one stat for the whole chain; it fails when any of them cannot be looked at
  st=$(stat -L -c '%u %a %F' "$@" 2>/dev/null) || return 1
  [ -n "$st" ] || return 1
  while read -r u m t; do
    [ "$u" = 0 ] || return 1
    if [ $((0$m & 022)) -ne 0 ]; then
      [ "$t" = directory ] && [ $((0$m & 01000)) -ne 0 ] || return 1
    fi
  done <<EOF
$st
EOF
  return 0
}

# a binary that is safe to run: canonical, plain, and root's all the way up (its link too)
safe_bin() {
  [ -f "$1" ] && [ -x "$1" ] || return 1
  r=$(readlink -f "$1" 2>/dev/null) || return 1
  plain "$r" && safe_chain "$r" || return 1
  # the chain of the link's own directory, when it is not the one just looked at
  [ "${r%/*}" = "${1%/*}" ] || safe_chain "${1%/*}"
}

# the places a package or a source build installs nginx, then sudo's secure_path
candidates() {
  listed=""
  for b in /usr/sbin/nginx /usr/local/sbin/nginx /usr/local/nginx/sbin/nginx /usr/local/openresty/nginx/sbin/nginx \
      /usr/local/openresty/bin/openresty /opt/*/sbin/nginx /usr/sbin/angie /usr/bin/nginx /usr/local/bin/nginx \
      /sbin/nginx /bin/nginx /usr/local/bin/openresty /usr/bin/openresty /usr/local/sbin/angie /usr/bin/angie; do
    [ -e "$b" ] || continue
    plain "$b" || continue
    safe_bin "$b" || continue
    # a link to a binary already listed (/sbin is /usr/sbin on merged-/usr systems) is the same file
    case " $listed " in *" $r "*) continue ;; esac
    listed="$listed $r"
    printf '%s %s\n' "$(stat -L -c '%d:%i' "$b" 2>/dev/null)" "$b"
  done
}
# one path per binary (/sbin is /usr/sbin on merged-/usr systems)
binaries=$(candidates | awk '!seen[$1]++')
cands=""
while read -r known kpath; do
  [ -n "$kpath" ] && cands="${cands:+$cands
}$kpath"
done <<EOF
$binaries
EOF
echo "@@nginx502 binaries"
[ -n "$binaries" ] && printf '%s\n' "$binaries"

if [ -z "$found" ]; then
  bin=$(printf '%s\n' "$cands" | head -n 1)
  if [ -z "$bin" ]; then
    echo "@@nginx502 not-installed"
  else
    echo "@@nginx502 not-running bin=$bin"
    # the config it would start with, so a start failure (nginx -t) can be named
    found="0 0 root nginx: master process $bin"
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
          if (!seen[w[1] " " p]++) print w[1], p
        }
      }
    }'
}

walk_conf() {
  # what nginx -T would print, for a user that may read the files but not run nginx -t
  list=$1
  base=$2
  # the files still to print, first line first (taken off in the shell: no program per file)
  todo=$1
  nl='
'
  i=0
  while [ "$i" -lt 300 ]; do
    i=$((i + 1))
    f=${todo%%"$nl"*}
    case $todo in *"$nl"*) todo=${todo#*"$nl"} ;; *) todo="" ;; esac
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
$g"
          todo="${todo:+$todo
}$g" ;; esac
      done
    done
  done
}

# the log lines of one program out of syslog or journal text, without the syslog prefix:
# "2026-11-30T10:00:00.1+00:00 host TAG[PID]: msg" (rsyslog, journalctl -o short-iso) or
# "Nov 30 10:00:00 host TAG: msg" (the traditional format)
strip_syslog() {
  awk -v tag="$1" '
    function tagged(t, tag) {
      return t == tag ":" || (substr(t, 1, length(tag) + 1) == tag "[" && substr(t, length(tag) + 2) ~ /^[0-9]+\]:$/)
    }
    {
      if ($1 ~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T/) k = 3
      else if ($1 ~ /^[A-Z][a-z][a-z]$/ && $3 ~ /^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]/) k = 5
      else next
      # nginx sends its host name too; rsyslog keeps it when it reads /dev/log: "host host nginx: msg"
      if (!tagged($k, tag) && tagged($(k + 1), tag)) k++
      t = $k
      if (!tagged(t, tag)) next
      p = index($0, " " t " ")
      if (p == 0) next
      print substr($0, p + length(t) + 2)
    }'
}

log_header() {
  echo "@@nginx502 log kind=$1 $2"
}

read_file_log() {
  kind=$1
  path=$2
  log_header "$kind" "path=$path"
  if [ ! -e "$path" ]; then echo "@@nginx502 log-missing"; return; fi
  if [ ! -r "$path" ]; then echo "@@nginx502 log-unreadable"; return; fi
  size=$(stat -L -c %s "$path" 2>/dev/null || wc -c < "$path")
  echo "@@nginx502 log-size $size"
  if [ "$kind" = error ]; then from=$(seek_start "$path" "$size" error "$cut_err"); else from=$(seek_start "$path" "$size" access "$cut_acc"); fi
  seek_read "$path" "$size" "$from" | "window_$kind"
  echo "@@nginx502 log-from $from"
  # the window may reach back into the file rotated away recently
  if [ -f "$path.1" ] && [ "${size:-0}" -lt "$LOGCAP" ] && [ "$ROTATED" != 1 ]; then
    m=$(stat -L -c %Y "$path.1" 2>/dev/null || echo 0)
    if [ "$m" -ge $((now - W)) ]; then
      ROTATED=1
      read_file_log "$kind" "$path.1"
      ROTATED=0
    fi
  fi
}

read_syslog() {
  kind=$1
  tag=$2
  f=""
  for s in /var/log/syslog /var/log/messages; do
    if [ -e "$s" ]; then f=$s; break; fi
  done
  log_header "$kind" "source=syslog tag=$tag file=${f:--} path=${f:-syslog} (syslog tag $tag)"
  if [ -z "$f" ]; then
    echo "@@nginx502 log-uncollected why=nginx logs to syslog (tag $tag), but neither /var/log/syslog nor /var/log/messages exists: no local syslog daemon writes a file"
    return
  fi
  if [ ! -r "$f" ]; then echo "@@nginx502 log-unreadable"; return; fi
  size=$(stat -L -c %s "$f" 2>/dev/null || wc -c < "$f")
  echo "@@nginx502 log-size $size"
  from=$(seek_start "$f" "$size" syslog "$cut_acc")
  seek_read "$f" "$size" "$from" | strip_syslog "$tag" | "window_$kind"
  echo "@@nginx502 log-from $from"
}

read_journal() {
  kind=$1
  unit=$2
  tag=$3
  log_header "$kind" "source=journal unit=$unit tag=$tag path=journal -u $unit"
  if ! command -v journalctl >/dev/null 2>&1; then
    echo "@@nginx502 log-uncollected why=nginx logs to stderr under $unit, but journalctl is not installed"
    return
  fi
  out=$(journalctl -u "$unit" --since "@$((now - W))" -n 20000 --no-pager -o short-iso 2>&1 | head -c "$LOGCAP")
  case $out in
    "No journal files were opened due to insufficient permissions"* | "Hint: You are currently not seeing messages from other users"* | *"
No journal files were opened due to insufficient permissions"* | *"
Hint: You are currently not seeing messages from other users"*)
      echo "@@nginx502 log-unreadable"
      return
      ;;
    *"No journal files were found"*)
      echo "@@nginx502 log-uncollected why=nginx logs to stderr under $unit, but journald keeps no journal on this host"
      return
      ;;
  esac
  echo "@@nginx502 log-size ${#out}"
  printf '%s\n' "$out" | strip_syslog "$tag" | "window_$kind"
}

bin_id() {
  stat -L -c '%d:%i' "$1" 2>/dev/null
}

seen=""
count=0
[ -n "$found" ] && printf '%s\n' "$found" | while read -r pid ppid user w1 w2 w3 rest; do
  case $pid in *[!0-9]* | '') continue ;; esac
  [ "$user" = root ] || continue
  [ "$count" -ge 4 ] && { echo "@@nginx502 more-masters"; break; }
  set -f
  # shellcheck disable=SC2086
  set -- $rest
  set +f
  arg0=${1:-}
  [ $# -ge 1 ] && shift
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
  cgroup=""
  [ "$pid" != 0 ] && cgroup=$(head -c 4096 "/proc/$pid/cgroup" 2>/dev/null)
  case $cgroup in
    *docker* | *containerd* | *libpod* | *crio* | *kubepods*)
      # its config and logs are inside the container: the host's nginx and files would be the wrong ones
      count=$((count + 1))
      echo "@@nginx502 instance pid=$pid user=$user exe=unusable bin= prefix= conf="
      echo "@@nginx502 no-binary why=it runs in a container (its cgroup says so), whose config and logs are inside it"
      continue
      ;;
  esac
  # the binary: what the process really runs, never a path from its arguments
  bin=""
  exe_state=assumed
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null)
  if [ "$pid" = 0 ]; then
    bin=$arg0
    exe_state=installed
  elif [ -n "$exe" ]; then
    id=$(bin_id "/proc/$pid/exe")
    for b in $cands; do
      if [ -n "$id" ] && [ "$(bin_id "$b")" = "$id" ]; then bin=$b; exe_state=verified; break; fi
    done
    if [ -z "$bin" ]; then
      ename=${exe% (deleted)}
      case ${ename##*/} in
        nginx | nginx-debug | openresty | angie) ;;
        *)
          # a renamed build still carries its version string (read, not run)
          grep -a -q -m 1 -e 'nginx version: ' -e 'Angie version: ' "/proc/$pid/exe" 2>/dev/null && ename=nginx
          ;;
      esac
      case ${ename##*/} in
        nginx | nginx-debug | openresty | angie) ;;
        *)
          # root's process, but not nginx: someone named it so (e.g. a setuid program started with exec -a)
          echo "@@nginx502 ignored pid=$pid user=$user why=runs another program"
          continue
          ;;
      esac
      if plain "$exe" && safe_bin "$exe" && [ "$(bin_id "$exe")" = "$id" ]; then
        bin=$exe
        exe_state=verified
      else
        case $exe in
          *" (deleted)") why="its binary was replaced since it started (an upgrade without a restart)" ;;
          *) why="it runs a binary that is not a root-owned nginx in a root-owned directory" ;;
        esac
        case $cgroup in
          *docker* | *containerd* | *libpod* | *crio* | *kubepods*) why="it runs in a container" ;;
        esac
        count=$((count + 1))
        echo "@@nginx502 instance pid=$pid user=$user exe=unusable bin= prefix= conf="
        echo "@@nginx502 no-binary why=$why"
        continue
      fi
    fi
  else
    # /proc/PID/exe is root's to read: take the root-owned binary the master names, if it is one of
    # the installed ones, else the first installed one of its kind
    name=${arg0##*/}
    why="no root-owned nginx binary in the usual places and /proc/$pid/exe is not readable by this user"
    case $arg0 in
      /*)
        # started by a path: the installed binary that path leads to (looked at, never run), if any
        real=$(readlink -f "$arg0" 2>/dev/null)
        for b in $cands; do
          if [ "$b" = "$arg0" ] || { [ -n "$real" ] && [ "$(readlink -f "$b")" = "$real" ]; }; then bin=$b; break; fi
        done
        [ -z "$bin" ] && why="it was started from a path that is not a root-owned nginx in the usual places, and /proc/$pid/exe is not readable by this user"
        ;;
      *)
        # started by its bare name (sudo nginx, the official image's CMD): the usual places, in order
        for b in $cands; do
          [ "${b##*/}" = "$name" ] && { bin=$b; break; }
        done
        if [ -z "$bin" ]; then
          for b in $cands; do
            case ${b##*/}:$w1 in nginx:nginx: | openresty:nginx: | angie:angie:) bin=$b; break ;; esac
          done
        fi
        ;;
    esac
    if [ -z "$bin" ]; then
      count=$((count + 1))
      echo "@@nginx502 instance pid=$pid user=$user exe=unknown bin= prefix= conf="
      echo "@@nginx502 no-binary why=$why"
      continue
    fi
  fi
  v=$("$bin" -V 2>&1)
  # configure's --prefix, --conf-path, --error-log-path and --http-log-path, the first of each, one a line
  cpaths=$(printf '%s\n' "$v" | awk -F '[ ]' '
    {
      for (i = 1; i <= NF; i++) {
        if (!fp && substr($i, 1, 9) == "--prefix=") { fp = 1; p = substr($i, 10) }
        if (!fc && substr($i, 1, 12) == "--conf-path=") { fc = 1; c = substr($i, 13) }
        if (!fe && substr($i, 1, 17) == "--error-log-path=") { fe = 1; e = substr($i, 18) }
        if (!fa && substr($i, 1, 16) == "--http-log-path=") { fa = 1; a = substr($i, 17) }
      }
    }
    END { print p; print c; print e; print a }')
  { IFS= read -r cprefix; IFS= read -r cconf; IFS= read -r cerr; IFS= read -r cacc; } <<EOF
$cpaths
EOF
  # -p and -c from ps: only root-owned paths nobody else can write (else someone chose them for us)
  refused=""
  if [ -n "$prefix" ]; then
    case $prefix in
      /*) pc=$(readlink -f "$prefix" 2>/dev/null) ;;
      *) pc="" ;;
    esac
    if [ -n "$pc" ] && plain "$pc" && safe_chain "$pc"; then
      prefix=$pc
    else
      refused="-p"
    fi
  fi
  if [ -n "$conf" ] && [ -z "$refused" ]; then
    # a relative -c is relative to the prefix
    case $conf in
      /*) cc=$conf ;;
      *) cc="${prefix:-${cprefix:-/usr/local/nginx}}/$conf" ;;
    esac
    cc=$(readlink -f "$cc" 2>/dev/null)
    if [ -n "$cc" ] && [ -f "$cc" ] && plain "$cc" && safe_chain "$cc"; then
      conf=$cc
    else
      refused="-c"
    fi
  fi
  if [ -n "$refused" ]; then
    count=$((count + 1))
    echo "@@nginx502 instance pid=$pid user=$user exe=$exe_state bin=$bin prefix= conf="
    echo "@@nginx502 refused arg=$refused"
    if [ "$refused" = -p ]; then shown=$prefix; else shown=${cc:-$conf}; fi
    if plain "$shown"; then echo "$shown"; else echo "(a path with unusual characters)"; fi
    continue
  fi
  id="$bin|$prefix|$conf"
  case "
$seen
" in *"
$id
"*) continue ;; esac
  seen="$seen
$id"
  count=$((count + 1))
  # the id the binaries list has for it (one stat fewer), else its own
  bid=""
  while read -r known kpath; do
    [ "$kpath" = "$bin" ] && { bid=$known; break; }
  done <<EOF
$binaries
EOF
  [ -n "$bid" ] || bid=$(bin_id "$bin")
  echo "@@nginx502 instance pid=$pid user=$user exe=$exe_state id=$bid bin=$bin prefix=$prefix conf=$conf"
  # the systemd unit: the last part of a cgroup path, when it names a service
  unit=$(printf '%s\n' "$cgroup" | awk '{ s = $0; sub(/.*\//, "", s) } $0 ~ /^[0-9]*:[^:]*:.*\// && s ~ /^[A-Za-z0-9@._-]*\.service$/ { print s; exit }')
  incontainer=""
  case $cgroup in *docker* | *containerd* | *libpod* | *crio* | *kubepods*) incontainer=1 ;; esac
  [ -n "$unit" ] && echo "@@nginx502 unit name=$unit"
  echo "@@nginx502 version"
  printf '%s\n' "$v" | head -c 8192
  case $v in
    *"version:"*) ;;
    *)
      echo "@@nginx502 no-version"
      continue
      ;;
  esac
  # nginx's own default when configure was given no --prefix
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
  logs=$(printf '%s\n' "$dump" | extract_logs)
  case "
$logs" in *"
error_log"*) ;; *) logs="$logs
error_log ${cerr:-logs/error.log}" ;; esac
  case "
$logs" in *"
access_log"*) ;; *) logs="$logs
access_log ${cacc:-logs/access.log}" ;; esac
  tagname=${bin##*/}
  printf '%s\n' "$logs" | awk 'NF == 2 && !seen[$0]++ && n++ < 12' | while read -r kind path; do
    kind=${kind%_log}
    case $path in
      off | memory:*) continue ;;
      *'$'*)
        log_header "$kind" "path=-"
        echo "@@nginx502 log-uncollected why=the $kind log's path is built from variables per request"
        continue
        ;;
      stderr)
        if [ -n "$unit" ] && [ -z "$incontainer" ]; then
          read_journal "$kind" "$unit" "$tagname"
        else
          log_header "$kind" "path=stderr"
          echo "@@nginx502 log-uncollected why=the $kind log is the master's stderr and master $pid is not a systemd service, so no journal keeps it"
        fi
        continue
        ;;
      syslog:*)
        server=$(printf '%s\n' "${path#syslog:}" | tr ',' '\n' | sed -n 's/^server=//p' | head -n 1)
        tag=$(printf '%s\n' "${path#syslog:}" | tr ',' '\n' | sed -n 's/^tag=//p' | head -n 1)
        case $tag in '' ) tag=nginx ;; *[!A-Za-z0-9_]*) tag=nginx ;; esac
        case $server in
          unix:* | localhost | localhost:* | 127.* | '[::1]'*)
            read_syslog "$kind" "$tag"
            ;;
          *)
            log_header "$kind" "path=syslog"
            echo "@@nginx502 log-uncollected why=the $kind log goes to a remote syslog server; read it there"
            ;;
        esac
        continue
        ;;
    esac
    case $path in /*) ;; *) path="$p$path" ;; esac
    canon=$(readlink -f "$path" 2>/dev/null)
    [ -n "$canon" ] && path=$canon
    if ! plain "$path"; then
      log_header "$kind" "path=-"
      echo "@@nginx502 log-uncollected why=the $kind log's path holds characters this check does not read"
      continue
    fi
    read_file_log "$kind" "$path"
  done
done
