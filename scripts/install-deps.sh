#!/usr/bin/env bash
# Installs the Debian packages in scripts/system-packages.txt that are missing (as root, or with
# sudo). Does nothing when all are there, so `make` stays quick on a machine already set up.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mapfile -t packages < <(grep -v '^\s*#' "$root/scripts/system-packages.txt" | grep -v '^\s*$')
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
