# nginx502 probe "php-fpm": running php-fpm masters and pools, their configuration files (with
# the line number of each setting) and the php-fpm log cut to the last @WINDOW@ seconds.
W=@WINDOW@
LOGCAP=@LOG_BYTES@
now=$(date +%s)
cut=$(date -d "@$((now - W))" '+%Y%m%d%H%M%S' 2>/dev/null)
procs=$(ps -eo pid,ppid,user,args 2>/dev/null || ps -o pid,ppid,user,args 2>/dev/null)
echo "@@nginx502 processes"
printf '%s\n' "$procs" | awk 'NR > 1 && $4 == "php-fpm:" && n++ < 400 { print }'
confs=$(printf '%s\n' "$procs" | awk 'NR > 1 && $4 == "php-fpm:" && $5 == "master" { s = $0; sub(/^.*\(/, "", s); sub(/\).*$/, "", s); print s }')
for c in /etc/php/*/fpm/php-fpm.conf /etc/php-fpm.conf /usr/local/etc/php-fpm.conf /etc/php*/php-fpm.conf; do
  [ -f "$c" ] && confs="$confs
$c"
done
confs=$(printf '%s\n' "$confs" | awk 'NF && !seen[$0]++ && n++ < 6')
[ -z "$confs" ] && echo "@@nginx502 no-php-fpm"
for c in $confs; do
  echo "@@nginx502 conf path=$c"
  files=$c
  dir=${c%/*}
  inc=$(awk 'sub(/^[ \t\r\f\v]*include[ \t\r\f\v]*=[ \t\r\f\v]*/, "") && n++ < 5' "$c" 2>/dev/null)
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
    head -c 262144 "$f" 2>&1 | awk '{ l = $0; sub(/^[ \t]+/, "", l) } l != "" && l !~ /^[;#]/ { print NR ":" $0 }'
  done
  log=$(awk 'sub(/^[ \t\r\f\v]*error_log[ \t\r\f\v]*=[ \t\r\f\v]*/, "") { l = $0 } END { gsub(/"/, "", l); print l }' "$c" 2>/dev/null)
  [ -z "$log" ] && log=log/php-fpm.log
  case $log in /*) ;; syslog) continue ;; *) log="$dir/../$log" ;; esac
  echo "@@nginx502 log path=$log"
  if [ ! -e "$log" ]; then echo "@@nginx502 log-missing"; continue; fi
  if [ ! -r "$log" ]; then echo "@@nginx502 log-unreadable"; continue; fi
  size=$(stat -L -c %s "$log" 2>/dev/null || wc -c < "$log")
  from=$(seek_start "$log" "$size" fpm "$cut")
  seek_read "$log" "$size" "$from" | awk -v cut="$cut" -v keep=400 "$LOGKEY"'
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
    }'
  echo "@@nginx502 log-from $from"
done
