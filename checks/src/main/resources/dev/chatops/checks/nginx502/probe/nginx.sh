# nginx502 probe "nginx": every running nginx master, the config it runs with (nginx -T with the
# master's own -p/-c), and the logs that config names (files, the journal, the local syslog), cut on
# this host to the last @WINDOW@ seconds and @LOG_BYTES@ bytes per log. Read-only; never exits early
# (a transport may run several probes in one shell). Output sections start with "@@nginx502".
#
# The masters, their binaries and their -p/-c are found by nginx-support's masters.sh (defined before
# this script runs), which trusts nothing ps says.
# messages and byte counts the same on every host, whatever its locale
LC_ALL=C
export LC_ALL
W=@WINDOW@
LOGCAP=@LOG_BYTES@
DUMPCAP=@DUMP_BYTES@
# each program started costs the host a millisecond or two: one date for the clock, one for both cuts
clock=$(date '+%s %z')
now=${clock% *}
cuts=$(date -d "@$((now - W))" '+%Y/%m/%d %H:%M:%S|%Y%m%d%H%M%S' 2>/dev/null)
cut_err=${cuts%|*}
cut_acc=${cuts#*|}
echo "@@nginx502 clock now=$now tz=${clock#* } cut=$cut_acc"
find_masters
echo "@@nginx502 processes"
printf '%s\n' "$procs" | awk 'NR > 1 && ($4 == "nginx:" || $4 == "angie:") && n++ < 200 { print }'
[ -n "$others" ] && printf '%s\n' "$others" | while read -r pid user; do
  echo "@@nginx502 ignored pid=$pid user=$user why=not run by root"
done
find_binaries
echo "@@nginx502 binaries"
[ -n "$binaries" ] && printf '%s\n' "$binaries"

# with no master, the config nginx would start with, so a start failure (nginx -t) can be named
if [ -z "$found" ]; then
  if installed_master; then echo "@@nginx502 not-running bin=$bin"; else echo "@@nginx502 not-installed"; fi
fi

# the error_log and access_log lines of the config text (at most 12, each once), with the configured
# defaults ($1, $2) for a kind the config never names
extract_logs() {
  awk -v derr="$1" -v dacc="$2" '
    function out(kind, path) {
      if (kind == "error_log") haserr = 1; else hasacc = 1
      if (path != "" && path !~ /[ \t]/ && !seen[kind " " path]++ && n++ < 12) print kind, path
    }
    END {
      if (!haserr) out("error_log", derr)
      if (!hasacc) out("access_log", dacc)
    }
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
          out(w[1], p)
        }
      }
    }'
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
  if seek_whole "$path" "$size" "$from"; then
    "window_$kind" "$path"
  else
    seek_read "$path" "$size" "$from" | "window_$kind"
  fi
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

seen=""
count=0
[ -n "$found" ] && printf '%s\n' "$found" | while read -r pid ppid user w1 w2 w3 rest; do
  case $pid in *[!0-9]* | '') continue ;; esac
  [ "$user" = root ] || continue
  [ "$count" -ge 4 ] && { echo "@@nginx502 more-masters"; break; }
  master_args "$rest"
  # the binary: what the process really runs, never a path from its arguments
  if ! master_binary "$pid" "$arg0" "$w1"; then
    if [ "$exe_state" = other ]; then
      echo "@@nginx502 ignored pid=$pid user=$user why=$why"
      continue
    fi
    count=$((count + 1))
    echo "@@nginx502 instance pid=$pid user=$user exe=$exe_state bin= prefix= conf="
    echo "@@nginx502 no-binary why=$why"
    continue
  fi
  v=$("$bin" -V 2>&1)
  configured_paths "$v"
  # -p and -c from ps: only root-owned paths nobody else can write (else someone chose them for us)
  if ! vet_args; then
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
  # (lines "N:controllers:path", split by the shell)
  unit=""
  while IFS= read -r u_l; do
    u_h=${u_l%%:*}
    u_r=${u_l#*:}
    case $u_h in *[!0-9]*) continue ;; esac
    case $u_r in *:*/*) ;; *) continue ;; esac
    case $u_l in *:*) ;; *) continue ;; esac
    u_s=${u_l##*/}
    case $u_s in *.service) ;; *) continue ;; esac
    case ${u_s%.service} in *[!A-Za-z0-9@._-]*) continue ;; esac
    unit=$u_s
    break
  done <<EOF
$cgroup
EOF
  incontainer=""
  in_container "$cgroup" && incontainer=1
  [ -n "$unit" ] && echo "@@nginx502 unit name=$unit"
  echo "@@nginx502 version"
  # head only when the text may be longer than the cap (a shell may count characters, up to 4 bytes each)
  if [ "${#v}" -lt 2047 ]; then printf '%s\n' "$v"; else printf '%s\n' "$v" | head -c 8192; fi
  case $v in
    *"version:"*) ;;
    *)
      echo "@@nginx502 no-version"
      continue
      ;;
  esac
  config_file
  echo "@@nginx502 paths prefix=$p conf=$c"
  show_config @@nginx502 "$DUMPCAP"
  logs=$(printf '%s\n' "$dump" | extract_logs "${cerr:-logs/error.log}" "${cacc:-logs/access.log}")
  tagname=${bin##*/}
  printf '%s\n' "$logs" | while read -r kind path; do
    [ -n "$path" ] || continue
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
