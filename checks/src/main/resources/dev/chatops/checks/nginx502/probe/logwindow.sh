# The log window, shared by the probes that read logs: window_error and window_access keep the lines
# of the last WINDOW seconds (cut_err, cut_acc) with counts and a sample of older errors.
#
# Where a log's window starts, found from the end of the file, so that a quiet 1 GiB log costs what a
# 1 MiB one does and a busy one no more than its window: the first timestamp of a few 16 KiB samples
# (64 KiB before the end, at the byte cap, then halving between them down to 64 KiB) is compared with
# the cut; only the part from there to the end is read. Logs are written in time order, so every
# line before a sample that starts older than the cut is older too. Read-only, POSIX tools only
# (tail, dd, awk); a sample without a timestamp counts as inside the window, which only ever reads
# more, never past the last LOGCAP bytes. Offsets are in 4 KiB pages, what dd can skip to.
LOGPAGE=4096
LOGSTEP=16

# An awk function, put in front of every program below that cuts by time: the sortable key
# (YYYYMMDDhhmmss; the error log's own "YYYY/MM/DD hh:mm:ss") of the current line in the log format
# FMT (error, access, fpm), or "" when the line has none. The samples that find where a window starts
# and the cut that keeps its lines must read timestamps the same way.
LOGKEY='
  BEGIN { split("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec", m, " "); for (i = 1; i <= 12; i++) mon[m[i]] = sprintf("%02d", i) }
  function logkey(fmt,   t) {
    if (fmt == "error") {
      t = substr($0, 1, 19)
      return t ~ /^[0-9][0-9][0-9][0-9]\/[0-9][0-9]\/[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]$/ ? t : ""
    }
    if (fmt == "access") {
      if (match($0, /\[[0-9][0-9]\/[A-Z][a-z][a-z]\/[0-9][0-9][0-9][0-9]:[0-9][0-9]:[0-9][0-9]:[0-9][0-9]/)) {
        t = substr($0, RSTART + 1, 20)
        return substr(t, 8, 4) mon[substr(t, 4, 3)] substr(t, 1, 2) substr(t, 13, 2) substr(t, 16, 2) substr(t, 19, 2)
      }
      if (match($0, /[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]/)) {
        t = substr($0, RSTART, 19)
        return substr(t, 1, 4) substr(t, 6, 2) substr(t, 9, 2) substr(t, 12, 2) substr(t, 15, 2) substr(t, 18, 2)
      }
      return ""
    }
    if (fmt == "fpm" && match($0, /^\[[0-9][0-9]-[A-Z][a-z][a-z]-[0-9][0-9][0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]/)) {
      t = substr($0, 2, 20)
      return substr(t, 8, 4) mon[substr(t, 4, 3)] substr(t, 1, 2) substr(t, 13, 2) substr(t, 16, 2) substr(t, 19, 2)
    }
    return ""
  }
'

# seek_older PATH PAGE FORMAT CUT: whether the first complete timestamped line from page PAGE (of
# LOGPAGE bytes) on is older than CUT, with the keys the window awk compares
seek_older() {
  dd if="$1" bs="$LOGPAGE" skip="$2" count=4 2>/dev/null | awk -v fmt="$3" -v cut="$4" -v whole="$2" "$LOGKEY"'
    # the first line of a sample is cut anywhere but at the start of the file
    NR == 1 && whole != 0 { next }
    {
      key = ""
      c = cut
      if (fmt != "syslog") {
        key = logkey(fmt)
      } else {
        # the time syslog wrote: "2026-11-30T10:00:00..." or "Nov 30 10:00:00" (no year)
        if ($1 ~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]/) {
          t = $1
          key = substr(t, 1, 4) substr(t, 6, 2) substr(t, 9, 2) substr(t, 12, 2) substr(t, 15, 2) substr(t, 18, 2)
        } else if (($1 in mon) && $2 ~ /^[0-9][0-9]?$/ && $3 ~ /^[0-9][0-9]:[0-9][0-9]:[0-9][0-9]$/) {
          key = mon[$1] sprintf("%02d", $2) substr($3, 1, 2) substr($3, 4, 2) substr($3, 7, 2)
          c = substr(cut, 5)
          # a January line with a December cut is from the new year: not older
          if (substr(key, 1, 2) == "01" && substr(c, 1, 2) == "12") c = ""
        }
      }
      if (key != "") { found = 1; exit }
    }
    END { exit !(found && c != "" && key < c) }'
}

# seek_start PATH SIZE FORMAT CUT: the byte the window starts at: the first of the last LOGCAP bytes
# (where a plain tail starts), or a later page boundary where a sample already starts older
seek_start() {
  case $2 in '' | *[!0-9]*) echo 0; return ;; esac
  s_floor=0
  [ "$2" -gt "$LOGCAP" ] && s_floor=$(($2 - LOGCAP))
  s_first=$(((s_floor + LOGPAGE - 1) / LOGPAGE))
  # 64 KiB before the end: most windows of a quiet log start after it, and one sample finds that
  s_last=$(($2 / LOGPAGE - LOGSTEP))
  if [ -z "$4" ] || [ "$s_last" -le "$s_first" ]; then
    echo "$s_floor"
  elif seek_older "$1" "$s_last" "$3" "$4"; then
    echo $((s_last * LOGPAGE))
  elif seek_older "$1" "$s_first" "$3" "$4"; then
    s_lo=$s_first
    s_hi=$s_last
    while [ $((s_hi - s_lo)) -gt "$LOGSTEP" ]; do
      s_mid=$(((s_lo + s_hi) / 2))
      if seek_older "$1" "$s_mid" "$3" "$4"; then s_lo=$s_mid; else s_hi=$s_mid; fi
    done
    echo $((s_lo * LOGPAGE))
  else
    echo "$s_floor"
  fi
}

# seek_read PATH SIZE FROM: the log from byte FROM (from seek_start) to its end
seek_read() {
  s_floor=0
  case $2 in '' | *[!0-9]*) tail -c "$LOGCAP" "$1"; return ;; esac
  [ "$2" -gt "$LOGCAP" ] && s_floor=$(($2 - LOGCAP))
  if [ "$3" -le "$s_floor" ]; then
    tail -c "$LOGCAP" "$1"
  else
    dd if="$1" bs="$LOGPAGE" skip=$(($3 / LOGPAGE)) 2>/dev/null
  fi
}

# seek_whole PATH SIZE FROM: whether the window is the whole file, which the window's own awk then reads
# from the path (one program fewer than tail and a pipe); only for an absolute path, which awk can
# take for neither a variable assignment nor its standard input
seek_whole() {
  case $1 in /*) ;; *) return 1 ;; esac
  case $2 in '' | *[!0-9]*) return 1 ;; esac
  [ "$2" -le "$LOGCAP" ] && [ "$3" -le 0 ]
}

# window_error [PATH]: the error log's window out of PATH (a file that grew since its size was read is
# still read no further than LOGCAP bytes), else out of the standard input
window_error() {
  awk -v cut="$cut_err" -v keep=800 -v cap="$LOGCAP" -v whole="$#" "$LOGKEY"'
    whole && (got += length($0) + 1) > cap + 1 { exit }
    {
      ts = logkey("error")
      if (ts != "") {
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
    }' "$@"
}

# window_access [PATH]: the access log's window, read as window_error reads
window_access() {
  awk -v cut="$cut_acc" -v keep=1500 -v cap="$LOGCAP" -v whole="$#" "$LOGKEY"'
    whole && (got += length($0) + 1) > cap + 1 { exit }
    {
      key = logkey("access")
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
    }' "$@"
}
