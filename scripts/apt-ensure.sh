#!/usr/bin/env bash
# Make sure the given Debian packages are installed.
#
#   scripts/apt-ensure.sh gettext npm:npm chromium ...
#
# A plain name is checked with dpkg; "package:command" is satisfied by that command on
# PATH however it got there (npm often comes with a nodejs from elsewhere, and installing
# Debian's npm next to it would conflict). Only what is missing is installed, and
# `apt-get update` runs only when something is. As root this installs; otherwise it names
# the missing packages and fails, so that a later step does not fail less helpfully.
set -euo pipefail

is_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "apt-ensure: not a Debian system; make sure these are installed: ${*%%:*}" >&2
    exit 0
fi

is_present() {
    local package=${1%%:*} command=${1#*:}
    if [ "$command" != "$1" ]; then
        command -v "$command" >/dev/null 2>&1
    else
        is_installed "$package"
    fi
}

missing=()
for spec in "$@"; do
    is_present "$spec" || missing+=("${spec%%:*}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "apt-ensure: missing Debian packages: ${missing[*]}" >&2
    echo "apt-ensure: install them with: sudo apt-get install ${missing[*]}" >&2
    exit 1
fi

echo "apt-ensure: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
