#!/usr/bin/env bash
# What the tests need from the machine beyond Python: Debian's Chromium for the browser
# tests, nginx and openssl to serve the shipped nginx site over TLS, Varnish with its modules
# (xkey) to serve the shipped Varnish file. Installed with apt-get where this runs as root on
# Debian or Ubuntu; elsewhere it names the command to run. Only Chromium is required: the
# nginx and Varnish tests say why they skip without their server.
set -euo pipefail

missing=()
command -v chromium >/dev/null || missing+=(chromium fonts-dejavu-core)
command -v nginx >/dev/null || missing+=(nginx-light)
command -v openssl >/dev/null || missing+=(openssl)
if ! command -v varnishd >/dev/null || ! ls /usr/lib/*/varnish/vmods/libvmod_xkey.so >/dev/null 2>&1; then
  missing+=(varnish varnish-modules)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing what the tests need: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi

echo "The tests need: ${missing[*]} (Debian/Ubuntu: sudo apt-get install ${missing[*]})"
command -v chromium >/dev/null || { echo "Browser tests need Chromium; stopping."; exit 1; }
