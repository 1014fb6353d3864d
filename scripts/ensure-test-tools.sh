#!/usr/bin/env bash
# Installs what the test suite needs beyond a JDK and Maven, when it is missing:
# Debian's Chromium (the browser test never downloads a browser), playwright-core and axe-core,
# Debian's prometheus package for promtool, and nginx (and openssl) for `nginx -t` of ops/nginx.
# PostgreSQL needs nothing here: the tests start zonky's embedded server themselves.
set -euo pipefail
cd "$(dirname "$0")/.."

apt_install() {
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "kring: please install: $*" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }
}

if [ -z "${CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  echo "kring: installing Chromium for the browser tests" >&2
  apt_install chromium
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "kring: installing Node.js for the browser tests" >&2
  apt_install nodejs npm
fi
if ! command -v promtool >/dev/null; then
  echo "kring: installing Prometheus (promtool) for the metrics tests" >&2
  apt_install prometheus
fi
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  echo "kring: installing nginx (for nginx -t of the reverse proxy configuration)" >&2
  apt_install nginx-light
fi
if ! command -v openssl >/dev/null; then
  apt_install openssl
fi
if [ ! -d web-client/e2e/node_modules/playwright-core ] || [ ! -d web-client/e2e/node_modules/axe-core ]; then
  (cd web-client/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
