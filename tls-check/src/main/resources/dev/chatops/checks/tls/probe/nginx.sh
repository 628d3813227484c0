# tls probe "nginx": the configuration each running nginx master uses (nginx -T with the master's own
# -p/-c), for the certificates and upstreams it names. Read-only; sections start with "@@tls".
#
# The masters, their binaries and their -p/-c are found by nginx-support's masters.sh (defined before
# this script runs), which trusts nothing ps says.
DUMPCAP=@DUMP_BYTES@

find_binaries
find_masters
[ -n "$others" ] && printf '%s\n' "$others" | awk 'n++ < 8 { print "@@tls ignored pid=" $1 " why=not run by root" }'
# with no master, the config nginx would start with: its certificates are the ones it will serve
if [ -z "$found" ]; then
  if installed_master; then echo "@@tls not-running bin=$bin"; else echo "@@tls not-installed"; fi
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
  # when nginx -T fails (it loads every key, which this user may not read), the files one by one
  show_config @@tls "$DUMPCAP"
done
exit 0
