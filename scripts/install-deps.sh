#!/usr/bin/env bash
# Installs the Debian packages listed in the given files (default scripts/system-packages.txt)
# that are missing, as root or with sudo. Does nothing when all are there, so `make` stays quick
# on a machine already set up.
#
#   scripts/install-deps.sh [LIST...]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
lists=("$@")
[ "${#lists[@]}" -gt 0 ] || lists=("$root/scripts/system-packages.txt")
mapfile -t packages < <(cat "${lists[@]}" | grep -v '^\s*#' | grep -v '^\s*$')
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ "${#missing[@]}" -eq 0 ] && exit 0
echo "install-deps: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
    run() { "$@"; }
elif command -v sudo >/dev/null 2>&1; then
    run() { sudo "$@"; }
else
    echo "install-deps: missing ${missing[*]}; install them as root: apt-get install -y ${missing[*]}" >&2
    exit 1
fi
run apt-get update -qq
DEBIAN_FRONTEND=noninteractive run apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
