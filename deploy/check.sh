#!/usr/bin/env bash
# Check deploy/ before installing it: `nginx -t` of the site in a temporary prefix (a throw-away
# certificate, this checkout's staticfiles/), and `systemd-analyze verify` of every unit with
# /srv/wangge replaced by this checkout. Nothing is installed or started.
#
#   deploy/check.sh            # NGINX_BIN=/path/to/nginx when nginx is not on the PATH
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
NGINX_BIN=${NGINX_BIN:-nginx}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

mkdir -p "$WORK/conf" "$WORK/logs" "$WORK/units"
MIME=$(dirname "$(command -v "$NGINX_BIN")")/../../etc/nginx/mime.types
[[ -f "$MIME" ]] || MIME=/etc/nginx/mime.types
cp "$MIME" "$WORK/conf/mime.types"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=wangge.jiangnan.lan" \
  -keyout "$WORK/wangge.key" -out "$WORK/wangge.crt" 2>/dev/null
sed -e "s#/etc/wangge/tls/#$WORK/#" -e "s#/srv/wangge/#$ROOT/#" deploy/nginx/wangge.conf \
  > "$WORK/conf/wangge.conf"
cat > "$WORK/conf/nginx.conf" <<CONF
pid $WORK/logs/nginx.pid;
error_log $WORK/logs/error.log;
events {}
http {
    include mime.types;
    access_log off;
    client_body_temp_path $WORK/logs/body;
    proxy_temp_path $WORK/logs/proxy;
    fastcgi_temp_path $WORK/logs/fastcgi;
    uwsgi_temp_path $WORK/logs/uwsgi;
    scgi_temp_path $WORK/logs/scgi;
    include wangge.conf;
}
CONF
"$NGINX_BIN" -t -q -p "$WORK" -c "$WORK/conf/nginx.conf"
echo "nginx -t: deploy/nginx/wangge.conf is valid"

for unit in deploy/systemd/*; do
  name=$(basename "$unit")
  sed -e "s#/srv/wangge/#$ROOT/#g" -e "s#=/srv/wangge\$#=$ROOT#" "$unit" > "$WORK/units/${name/@./@1.}"
done
output=$(systemd-analyze verify --man=no "$WORK"/units/* 2>&1)
if [[ -n "$output" ]]; then
  echo "$output" >&2
  exit 1
fi
echo "systemd-analyze verify: $(ls deploy/systemd | tr '\n' ' ')are valid"
