#!/usr/bin/env bash
# Vendors the one library the back office (beheer.html) uses: qrcode-generator, pinned to an exact
# version and checked against the registry's sha512 before it is copied into the webroot. The copy is
# committed, so builds and tests stay offline; run this again only to upgrade (change both pins).
# Usage: scripts/vendor-web.sh          (writes webroot/vendor/, then prints the file's sha256)
#        scripts/vendor-web.sh --check  (fails when the committed copy differs from the pinned package)
set -euo pipefail
cd "$(dirname "$0")/.."

NAME=qrcode-generator
VERSION=2.0.4
INTEGRITY='sha512-mZSiP6RnbHl4xL2Ap5HfkjLnmxfKcPWpWe/c+5XxCuetEenqmNFf1FH/ftXPCtFG5/TDobjsjz6sSNL0Sr8Z9g=='
DEST=web-client/src/main/resources/webroot/vendor

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack "$NAME@$VERSION" --silent >/dev/null)
tarball="$work/$NAME-$VERSION.tgz"
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$actual" != "$INTEGRITY" ]; then
  echo "vendor-web: $NAME@$VERSION does not match its pinned integrity ($actual)" >&2
  exit 1
fi
tar xzf "$tarball" -C "$work"
target="$DEST/$NAME-$VERSION.mjs"
if [ "${1:-}" = "--check" ]; then
  cmp -s "$work/package/dist/qrcode.mjs" "$target" || { echo "vendor-web: $target differs from $NAME@$VERSION" >&2; exit 1; }
  echo "vendor-web: $target is $NAME@$VERSION"
  exit 0
fi
mkdir -p "$DEST"
cp "$work/package/dist/qrcode.mjs" "$target"
{
  echo "$NAME $VERSION (MIT, Copyright (c) 2009 Kazuhiko Arase), https://github.com/kazuhikoarase/qrcode-generator"
  echo "file: dist/qrcode.mjs of the npm package, $INTEGRITY"
  echo "sha256: $(sha256sum "$target" | cut -d' ' -f1)"
} > "$DEST/README.txt"
cat "$DEST/README.txt"
