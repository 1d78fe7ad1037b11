#!/usr/bin/env bash
# Debian packages DealerDesk needs beyond Python: installed when running as root, otherwise the
# exact apt-get line is printed and the build stops.
#   scripts/system-deps.sh demo   - WeasyPrint's native libraries (PDF documents)
#   scripts/system-deps.sh test   - the same, plus Chromium for browser tests and poppler-utils
set -euo pipefail

purpose=${1:-test}
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig)
if [ "$purpose" = "test" ]; then
  packages+=(chromium poppler-utils)
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "system-deps: not a Debian system; make sure these are installed: ${packages[*]}" >&2
  exit 0
fi

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

line="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  echo "system-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends ${missing[*]} >/dev/null
else
  echo "system-deps: missing Debian packages. Run as root:" >&2
  echo "  sudo apt-get update && sudo $line" >&2
  exit 1
fi
