#!/usr/bin/env bash
# Builds the Linux installer: the PyInstaller one-folder bundle, its --self-test, then a .deb.
#
#   packaging/linux/build-deb.sh [OUT_DIR]        (default: dist/ at the repository root)
#
# Needs: the project's venv with the test extra (pyinstaller), binutils (objdump, for PyInstaller),
# dpkg-deb. Writes OUT_DIR/pos_<version>_<arch>.deb and OUT_DIR/build-figures.json (bundle size,
# installed size, self-test figures). The .deb puts the bundle in /opt/pos, `pos` in /usr/bin, a
# desktop entry and an icon; its Depends are the system libraries the bundled Qt xcb platform
# plugin still needs (found with ldd against the bundle), plus what Qt and pyusb open at run time
# without linking (libxcb-cursor0, libusb-1.0-0) and a font.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="$(mkdir -p "${1:-$ROOT/dist}" && cd "${1:-$ROOT/dist}" && pwd)"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
VERSION="$("$PYTHON" -c 'import pos; print(pos.__version__)')"
ARCH="$(dpkg --print-architecture)"

echo "== PyInstaller bundle (pos $VERSION)"
start=$(date +%s)
"$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$OUT/bundle" --workpath "$OUT/work" "$ROOT/packaging/pos.spec"
BUNDLE="$OUT/bundle/pos"
echo "   built in $(( $(date +%s) - start )) s: $(du -sh "$BUNDLE" | cut -f1)"

echo "== self-test of the bundle"
SELF_TEST="$("$BUNDLE/pos" --self-test "$OUT/self-test" | tail -n 1)"
echo "   $SELF_TEST"

echo "== Depends (ldd of the bundled Qt xcb platform plugin)"
INTERNAL="$BUNDLE/_internal"
plugins=("$INTERNAL/PySide6/Qt/plugins/platforms/libqxcb.so")
plugins+=("$INTERNAL"/PySide6/Qt/plugins/xcbglintegrations/*.so)
declare -A depends=()
add_package() { [ -n "$1" ] && depends["$1"]=1; }
lookup() {  # soname [resolved path] -> package (dpkg -S first, then sonames.txt)
  local soname="$1" path="${2:-}" package=""
  if [ -n "$path" ]; then
    package="$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -n1 | cut -d: -f1 || true)"
    [ -z "$package" ] && package="$(dpkg -S "$path" 2>/dev/null | head -n1 | cut -d: -f1 || true)"
  fi
  if [ -z "$package" ]; then
    package="$(awk -v s="$soname" '$1 == s { $1 = ""; sub(/^ /, ""); print; exit }' \
      "$ROOT/packaging/linux/sonames.txt")"
  fi
  if [ -z "$package" ]; then
    echo "   WARNING: no package known for $soname" >&2
  fi
  echo "$package"
}
while read -r soname arrow path _; do
  [ "$arrow" = "=>" ] || continue
  case "$path" in
    "$INTERNAL"/*) continue ;;  # in the bundle
    not) add_package "$(lookup "$soname")" ;;
    /*) case "$soname" in libc.so.*|libm.so.*|libdl.so.*|libpthread.so.*|librt.so.*|ld-linux*) continue ;; esac
        add_package "$(lookup "$soname" "$path")" ;;
  esac
done < <(for plugin in "${plugins[@]}"; do
  LD_LIBRARY_PATH="$INTERNAL:$INTERNAL/PySide6/Qt/lib" ldd "$plugin"
done)
for extra in libxcb-cursor0 libusb-1.0-0 fonts-dejavu-core libc6; do add_package "$extra"; done
DEPENDS="$(printf '%s\n' "${!depends[@]}" | sort | paste -sd, - | sed 's/,/, /g')"
echo "   $DEPENDS"

echo "== .deb"
PKG="$OUT/deb-root"
rm -rf "$PKG"
mkdir -p "$PKG/DEBIAN" "$PKG/opt" "$PKG/usr/bin" "$PKG/usr/share/applications" \
  "$PKG/usr/share/icons/hicolor/256x256/apps" "$PKG/usr/share/icons/hicolor/scalable/apps"
cp -a "$BUNDLE" "$PKG/opt/pos"
ln -s ../../opt/pos/pos "$PKG/usr/bin/pos"
install -m 644 "$ROOT/packaging/linux/pos.desktop" "$PKG/usr/share/applications/pos.desktop"
install -m 644 "$ROOT/packaging/icons/pos.png" "$PKG/usr/share/icons/hicolor/256x256/apps/pos.png"
install -m 644 "$ROOT/packaging/icons/pos.svg" "$PKG/usr/share/icons/hicolor/scalable/apps/pos.svg"
INSTALLED_KB="$(du -sk --exclude=DEBIAN "$PKG" | cut -f1)"
DEB_VERSION="$(echo "$VERSION" | sed 's/+/~/')"
cat > "$PKG/DEBIAN/control" <<CONTROL
Package: pos
Version: $DEB_VERSION
Architecture: $ARCH
Maintainer: POS developers <pos@example.invalid>
Installed-Size: $INSTALLED_KB
Depends: $DEPENDS
Section: misc
Priority: optional
Homepage: https://example.invalid/pos
Description: point of sale for Ukrainian shops (Checkbox PRRO)
 The cashier's window, headless commands and the training sandbox in one
 bundle. Receipts are fiscalised through the Checkbox PRRO API, offline too.
 The shop's data stays in the user's folders when the package is removed.
CONTROL
DEB="$OUT/pos_${DEB_VERSION}_${ARCH}.deb"
dpkg-deb --build --root-owner-group -Zxz "$PKG" "$DEB" >/dev/null
echo "   $DEB ($(du -h "$DEB" | cut -f1), installed $INSTALLED_KB KiB)"

BUNDLE_KB="$(du -sk "$BUNDLE" | cut -f1)"
DEB_BYTES="$(stat -c %s "$DEB")"
cat > "$OUT/build-figures.json" <<FIGURES
{"version": "$VERSION", "bundle_kib": $BUNDLE_KB, "installed_kib": $INSTALLED_KB,
 "deb_bytes": $DEB_BYTES, "deb": "$DEB", "depends": "$DEPENDS", "self_test": $SELF_TEST}
FIGURES
case "$SELF_TEST" in *'"ok": true'*) ;; *) echo "self-test failed" >&2; exit 1 ;; esac
echo "== done"
