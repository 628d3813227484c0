#!/bin/sh
# Real certificates for the tls check's tests and lab scenarios, made with openssl now:
#   make-certs.sh DIR NAME
# A root CA and an intermediate, then for NAME (with a CA chain unless said):
#   healthy.crt   valid for a year, with the intermediate       healthy.key
#   expired.crt   ended 3 days ago                               expired.key
#   expiring.crt  ends in 5 days                                  expiring.key
#   wrongname.crt for other-NAME only                            wrongname.key
#   nochain.crt   valid for a year, without the intermediate     nochain.key
#   other.key     a key that belongs to none of them (healthy.crt with it is a mismatch)
#   ca.crt        the root, for clients that must trust it
set -eu
dir=$1
name=$2
mkdir -p "$dir"
cd "$dir"
umask 022
cat >ca.cnf <<CNF
[ ca ]
default_ca = lab
[ lab ]
dir = .
database = index.txt
new_certs_dir = issued
serial = serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = copy
[ any ]
commonName = supplied
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ v3_ca ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ leaf ]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
rm -rf issued index.txt serial
mkdir issued
: >index.txt
echo 1000 >serial
q() { openssl "$@" >/dev/null 2>&1 || { echo "make-certs: openssl $1 failed" >&2; openssl "$@" >&2; exit 1; }; }
key() { q genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }
stamp() { date -u -d "$1" +%Y%m%d%H%M%SZ; }

key ca.key
q req -config ca.cnf -x509 -new -key ca.key -subj "/CN=Chatops Lab Root CA" -days 3650 -extensions v3_ca -out ca.crt
key int.key
q req -config ca.cnf -new -key int.key -subj "/CN=Chatops Lab Intermediate CA" -out int.csr
q ca -config ca.cnf -batch -notext -cert ca.crt -keyfile ca.key -extensions v3_ca -days 1825 -in int.csr -out int.crt

# LEAF FILE CN SAN START END
leaf() {
  key "$1.key"
  q req -config ca.cnf -new -key "$1.key" -subj "/CN=$2" -addext "subjectAltName=$3" -out "$1.csr"
  q ca -config ca.cnf -batch -notext -cert int.crt -keyfile int.key -extensions leaf -startdate "$(stamp "$4")" \
    -enddate "$(stamp "$5")" -in "$1.csr" -out "$1.leaf"
}
leaf healthy "$name" "DNS:$name" "-1 day" "+365 days"
leaf expired "$name" "DNS:$name" "-90 days" "-3 days"
leaf expiring "$name" "DNS:$name" "-80 days" "+5 days"
leaf wrongname "other-$name" "DNS:other-$name" "-1 day" "+365 days"
leaf nochain "$name" "DNS:$name" "-1 day" "+365 days"
for f in healthy expired expiring wrongname; do cat "$f.leaf" int.crt >"$f.crt"; done
cp nochain.leaf nochain.crt
key other.key
chmod 600 ./*.key
rm -f ./*.csr ./*.leaf
