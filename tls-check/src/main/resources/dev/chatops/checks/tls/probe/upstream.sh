# tls probe "upstream.N": the certificate chain an HTTPS upstream of the nginx config presents, as
# nginx would ask for it (the address and the name are the config's own, validated and quoted).
PATH=/usr/local/bin:/usr/bin:/bin:$PATH
if ! command -v openssl >/dev/null 2>&1; then
  echo "@@tls no-openssl"
  exit 0
fi
echo "@@tls connect"
timeout 6 openssl s_client -connect @ADDRESS@ @NAME@ -showcerts </dev/null 2>&1 | tr -d '\r' | head -c 262144
echo "@@tls connect-end"
exit 0
