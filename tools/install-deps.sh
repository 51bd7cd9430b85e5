#!/bin/sh
# Installs the Debian 12 packages that building and testing libvmfex need.
# Already-installed packages are left alone, so running it again is cheap.
set -eu

packages="
  gcc libc6-dev make pkg-config meson ninja-build git
  libnl-3-dev libnl-route-3-dev libpci-dev pci.ids libxml2-dev libjson-c-dev uuid-dev
  libcurl4-openssl-dev openssl abigail-tools
  libcmocka-dev python3 python3-pytest iproute2 strace valgrind doxygen libvirt-clients
  clang libclang-rt-14-dev golang-go graphviz
  python3-venv python3-pip python3-setuptools python3-wheel
  python3-pyroute2 libvirt-dev
"

missing=""
for p in $packages; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: missing packages:$missing (run as root to install them)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
