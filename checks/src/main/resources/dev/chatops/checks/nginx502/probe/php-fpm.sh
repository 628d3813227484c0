# nginx502 probe "php-fpm": running php-fpm masters and pools, their configuration files (with
# the line number of each setting) and the php-fpm log cut to the last @WINDOW@ seconds.
# messages and byte counts the same on every host, whatever its locale
LC_ALL=C
export LC_ALL
W=@WINDOW@
LOGCAP=@LOG_BYTES@
# one date where it takes a relative time (GNU), else the clock and a second one
cut=$(date -d "$W seconds ago" '+%Y%m%d%H%M%S' 2>/dev/null) || cut=$(date -d "@$(($(date +%s) - W))" '+%Y%m%d%H%M%S' 2>/dev/null)
# fpm_window [PATH]: the log's window, read as logwindow.sh's window_error reads
fpm_window() {
  awk -v cut="$cut" -v keep=400 -v cap="$LOGCAP" -v whole="$#" "$LOGKEY"'
    whole && (got += length($0) + 1) > cap + 1 { exit }
    {
      key = logkey("fpm")
      if (key != "") inwin = (cut == "" || key >= cut)
      if (!inwin) { older++; next }
      total++
      ring[total % keep] = substr($0, 1, 1000)
    }
    END {
      start = total - keep + 1
      if (start < 1) start = 1
      for (i = start; i <= total; i++) print ring[i % keep]
      print "@@nginx502 log-window total=" total + 0 " older=" older + 0
    }' "$@"
}
# fpm_settings [PATH]: the settings of a config file with their line numbers, out of PATH (its first
# 256 KiB, cut where head -c would cut) or the standard input
fpm_settings() {
  awk -v cap=262144 -v whole="$#" '
    whole {
      got += length($0) + 1
      if (got > cap) { $0 = substr($0, 1, length($0) - (got - cap) + 1); if ($0 == "") exit; last = 1 }
    }
    { l = $0; sub(/^[ \t]+/, "", l) } l != "" && l !~ /^[;#]/ { print NR ":" $0 }
    last { exit }' "$@"
}
procs=$(ps -eo pid,ppid,user,args 2>/dev/null || ps -o pid,ppid,user,args 2>/dev/null)
echo "@@nginx502 processes"
# one awk: the php-fpm lines, then after a line no ps line can be (ps lines start with a PID) the
# config files the masters name
pf=$(printf '%s\n' "$procs" | awk '
  NR > 1 && $4 == "php-fpm:" && n++ < 400 { print }
  NR > 1 && $4 == "php-fpm:" && $5 == "master" { s = $0; sub(/^.*\(/, "", s); sub(/\).*$/, "", s); c[++m] = s }
  END { print "@@confs"; for (i = 1; i <= m; i++) print c[i] }')
case $pf in
  @@confs*) confs=${pf#@@confs} ;;
  *)
    printf '%s\n' "${pf%%"
@@confs"*}"
    confs=${pf#*"
@@confs"}
    ;;
esac
for c in /etc/php/*/fpm/php-fpm.conf /etc/php-fpm.conf /usr/local/etc/php-fpm.conf /etc/php*/php-fpm.conf; do
  [ -f "$c" ] && confs="$confs
$c"
done
# at most 6, each once, split by the shell
blank=' 	'
pf_all=$confs
confs=""
pf_n=0
while IFS= read -r c; do
  case $c in *[!"$blank"]*) ;; *) continue ;; esac
  case "
$confs
" in *"
$c
"*) continue ;; esac
  [ "$pf_n" -lt 6 ] || break
  pf_n=$((pf_n + 1))
  confs="${confs:+$confs
}$c"
done <<EOF
$pf_all
EOF
[ -z "$confs" ] && echo "@@nginx502 no-php-fpm"
for c in $confs; do
  echo "@@nginx502 conf path=$c"
  files=$c
  dir=${c%/*}
  # the includes (lines "i PATTERN") and the error log (the last line, "l PATH") in one read of the file
  il=$(awk '
    { x = $0; y = $0 }
    sub(/^[ \t\r\f\v]*include[ \t\r\f\v]*=[ \t\r\f\v]*/, "", x) && n++ < 5 { print "i " x }
    sub(/^[ \t\r\f\v]*error_log[ \t\r\f\v]*=[ \t\r\f\v]*/, "", y) { l = y }
    END { gsub(/"/, "", l); print "l " l }' "$c" 2>/dev/null)
  inc=""
  log=""
  while IFS= read -r x; do
    case $x in
      "i "*) inc="${inc:+$inc
}${x#i }" ;;
      "l "*) log=${x#l } ;;
    esac
  done <<EOF
$il
EOF
  for pat in $inc; do
    case $pat in /*) ;; *) pat="$dir/$pat" ;; esac
    for g in $pat; do [ -f "$g" ] && files="$files
$g"; done
  done
  n=0
  for f in $files; do
    n=$((n + 1))
    [ "$n" -le 60 ] || break
    # settings only, each with its line number: the stock pool files are mostly comments
    echo "@@nginx502 file path=$f"
    # a readable file by its absolute path is read by awk itself; else head says what is wrong with it
    case $f in
      /*) if [ -f "$f" ] && [ -r "$f" ]; then fpm_settings "$f"; continue; fi ;;
    esac
    head -c 262144 "$f" 2>&1 | fpm_settings
  done
  [ -z "$log" ] && log=log/php-fpm.log
  case $log in /*) ;; syslog) continue ;; *) log="$dir/../$log" ;; esac
  echo "@@nginx502 log path=$log"
  if [ ! -e "$log" ]; then echo "@@nginx502 log-missing"; continue; fi
  if [ ! -r "$log" ]; then echo "@@nginx502 log-unreadable"; continue; fi
  size=$(stat -L -c %s "$log" 2>/dev/null || wc -c < "$log")
  from=$(seek_start "$log" "$size" fpm "$cut")
  if seek_whole "$log" "$size" "$from"; then
    fpm_window "$log"
  else
    seek_read "$log" "$size" "$from" | fpm_window
  fi
  echo "@@nginx502 log-from $from"
done
