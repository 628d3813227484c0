# tls probe "certs": the certificates in each file the nginx config names (paths below, validated
# and quoted by the check). Only CERTIFICATE blocks are printed: a file that also holds the private key
# never lets the key leave the host. Bounded per file and in all.
for f in @PATHS@; do
  echo "@@tls file $f"
  if [ ! -e "$f" ]; then
    echo "@@tls missing"
  elif [ ! -r "$f" ]; then
    echo "@@tls unreadable"
  else
    head -c 262144 "$f" | tr -d '\r' | awk '
      /^-----BEGIN CERTIFICATE-----$/ { inside = 1; n++ }
      inside && n <= 12 { print }
      /^-----END CERTIFICATE-----$/ { inside = 0 }'
  fi
done
exit 0
