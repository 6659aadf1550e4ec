#!/usr/bin/env bash
# Prints the Debian/Ubuntu packages the cashier's window needs when it runs from source (pip's
# PySide6 wheel): the libraries that Qt's xcb platform plugin, its GL integrations, the print
# support and image plugins and the Qt libraries they load link directly (objdump NEEDED), minus
# what every Debian has (libc6, libstdc++6, libgcc-s1, zlib1g, libzstd1) and minus Qt itself
# (in the wheel), mapped through sonames.txt; plus libxcb-cursor0 (Qt opens it at run time),
# a font and libusb-1.0-0 (USB receipt printers).
#
#   packaging/linux/window-packages.sh [PYTHON]
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
PYTHON="${1:-$HERE/../../.venv/bin/python}"
QT="$("$PYTHON" -c 'import os, PySide6; print(os.path.join(os.path.dirname(PySide6.__file__), "Qt"))')"
files=("$QT"/plugins/platforms/libqxcb.so "$QT"/plugins/xcbglintegrations/*.so
  "$QT"/plugins/printsupport/*.so "$QT"/plugins/imageformats/*.so "$QT"/lib/libQt6XcbQpa.so.6
  "$QT"/lib/libQt6Gui.so.6 "$QT"/lib/libQt6Widgets.so.6 "$QT"/lib/libQt6DBus.so.6
  "$QT"/lib/libQt6PrintSupport.so.6 "$QT"/lib/libQt6Core.so.6 "$QT"/lib/libQt6OpenGL.so.6)
{ for f in "${files[@]}"; do objdump -p "$f" | awk '/NEEDED/ {print $2}'; done | sort -u |
  grep -v -E '^(libQt6|libicu|libc\.so|libm\.so|ld-linux|libstdc\+\+|libgcc_s|libz\.so|libzstd|libpthread|libdl|librt)' |
  while read -r soname; do
    package="$(awk -v s="$soname" '$1 == s { $1 = ""; sub(/^ /, ""); print; exit }' "$HERE/sonames.txt")"
    echo "${package:-UNKNOWN($soname)}"
  done | sed 's/.* | //'  # the Debian 12 / Ubuntu 22.04 name (24.04 adds "t64" to a few)
  printf '%s\n' libxcb-cursor0 fonts-dejavu-core libusb-1.0-0
} | sort -u | paste -sd' ' -
