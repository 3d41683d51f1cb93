#!/bin/sh
# Generates a throwaway CA, a server certificate and a client certificate for
# tests and lab setups. NOT for production: keys are unencrypted and the CA
# lives next to them.
#
#   make-test-certs.sh OUT_DIR [SERVER_NAME ...]
#
# SERVER_NAMEs (default: localhost 127.0.0.1) become the server certificate's
# subjectAltName entries (DNS names or IP addresses). Files written to OUT_DIR:
#   ca.pem ca.key server.pem server.key client.pem client.key
set -eu
out=${1:?usage: make-test-certs.sh OUT_DIR [SERVER_NAME ...]}
shift
[ $# -gt 0 ] || set -- localhost 127.0.0.1
mkdir -p "$out"
cd "$out"

san=""
for name in "$@"; do
    case "$name" in
        *[!0-9.]*) entry="DNS:$name" ;;
        *) entry="IP:$name" ;;
    esac
    san="${san:+$san,}$entry"
done

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Lykta test CA" \
    -keyout ca.key -out ca.pem 2>/dev/null

openssl req -newkey rsa:2048 -nodes -subj "/CN=$1" -keyout server.key -out server.csr 2>/dev/null
printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$san" > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
    -extfile server.ext -out server.pem 2>/dev/null

openssl req -newkey rsa:2048 -nodes -subj "/CN=lykta-client" -keyout client.key -out client.csr 2>/dev/null
printf 'extendedKeyUsage=clientAuth\n' > client.ext
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
    -extfile client.ext -out client.pem 2>/dev/null

rm -f server.csr client.csr server.ext client.ext ca.srl
chmod 600 ./*.key
echo "$out: ca.pem server.pem ($san) client.pem"
