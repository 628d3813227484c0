# tls probe "nginx": the configuration each running nginx master uses (nginx -T with the master's own
# -p/-c), for the certificates and upstreams it names. Read-only; sections start with "@@tls".
#
# The masters, their binaries and their -p/-c are found by nginx-support's masters.sh (defined before
# this script runs), which trusts nothing ps says.
DUMPCAP=@DUMP_BYTES@

find_binaries
find_masters
[ -n "$others" ] && printf '%s\n' "$others" | awk 'n++ < 8 { print "@@tls ignored pid=" $1 " why=not run by root" }'
if [ -z "$found" ]; then
  bin=$(printf '%s\n' "$cands" | head -n 1)
  if [ -z "$bin" ]; then
    echo "@@tls not-installed"
  else
    # the config it would start with: its certificates are the ones it will serve
    echo "@@tls not-running bin=$bin"
    found="0 0 root nginx: master process $bin"
  fi
fi

count=0
[ -n "$found" ] && printf '%s\n' "$found" | while read -r pid ppid user w1 w2 w3 rest; do
  case $pid in *[!0-9]* | '') continue ;; esac
  [ "$user" = root ] || continue
  [ "$count" -ge 4 ] && break
  master_args "$rest"
  if ! master_binary "$pid" "$arg0" "$w1"; then
    count=$((count + 1))
    echo "@@tls instance pid=$pid bin= prefix= conf="
    echo "@@tls no-binary"
    continue
  fi
  count=$((count + 1))
  v=$("$bin" -V 2>&1 | head -c 8192)
  configured_paths "$v"
  if ! vet_args; then
    echo "@@tls instance pid=$pid bin=$bin prefix= conf="
    echo "@@tls refused arg=$refused"
    continue
  fi
  echo "@@tls instance pid=$pid bin=$bin prefix=$prefix conf=$conf"
  config_file
  echo "@@tls paths prefix=$p conf=$c"
  dump_config "$bin" "$prefix" "$conf"
  echo "@@tls dump exit=$rc"
  printf '%s\n' "$dump" | head -c "$DUMPCAP"
  echo "@@tls dump-end"
  if [ "$rc" -ne 0 ]; then
    # nginx -t loads every key, which this user may not read: the files as nginx -T would print them
    echo "@@tls walk"
    walk_conf "$c" "${c%/*}" | head -c "$DUMPCAP"
    echo "@@tls walk-end"
  fi
done
exit 0
