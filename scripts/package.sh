#!/usr/bin/env bash
# `npm run package`: builds the release archive
#   artifacts/sunfleet-locus-datasource-<version>.zip (+ .zip.sha256)
# from dist/, renamed to the plugin id, with the frontend, every platform
# binary, go_plugin_build_manifest, README, CHANGELOG, LICENSE, logos,
# screenshots and dashboards. Builds what is missing first.
#
#   bash scripts/package.sh            build frontend + all backends, then zip
#   bash scripts/package.sh --no-build zip the dist/ that is there (checked)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

build=true
for arg in "$@"; do
  case "$arg" in
    --no-build) build=false ;;
    *)
      echo "package.sh: unknown argument '$arg' (valid: --no-build)" >&2
      exit 2
      ;;
  esac
done

plugin_id=$(node -p "require('./plugin.json').id")
version=$(node -p "require('./package.json').version")
executable=$(node -p "require('./plugin.json').executable")

if $build; then
  echo "== build frontend"
  npm run -s build
  echo "== build backend for every platform"
  go run github.com/magefile/mage -v buildAll
fi

echo "== check dist/"
missing=()
required=(module.js plugin.json README.md CHANGELOG.md LICENSE img/logo.svg go_plugin_build_manifest)
for f in "${required[@]}"; do
  [ -f "dist/$f" ] || missing+=("dist/$f")
done
for platform in linux_amd64 linux_arm64 darwin_amd64 darwin_arm64 windows_amd64.exe; do
  [ -f "dist/${executable}_${platform}" ] || missing+=("dist/${executable}_${platform}")
done
for path in $(node -p "const p=require('./plugin.json'); [...(p.info.screenshots||[]).map(s=>s.path), ...(p.includes||[]).filter(i=>i.path).map(i=>i.path)].join(' ')"); do
  [ -f "dist/$path" ] || missing+=("dist/$path")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "package.sh: dist/ is incomplete, missing:" >&2
  printf '  %s\n' "${missing[@]}" >&2
  echo "Run without --no-build, or take the screenshots with the browser test (they are listed in plugin.json info.screenshots)." >&2
  exit 1
fi
if grep -q '%VERSION%\|%TODAY%' dist/plugin.json; then
  echo "package.sh: dist/plugin.json still has %VERSION%/%TODAY% placeholders: build with 'npm run build' (production)" >&2
  exit 1
fi
dist_version=$(node -p "require('./dist/plugin.json').info.version")
if [ "$dist_version" != "$version" ]; then
  echo "package.sh: dist/plugin.json has version $dist_version but package.json has $version: rebuild the frontend" >&2
  exit 1
fi

echo "== zip"
stage="$root/.cache/package"
rm -rf "$stage" && mkdir -p "$stage"
cp -R dist "$stage/$plugin_id"
# Backend binaries must be executable inside the archive (validator: binarypermissions).
chmod 0755 "$stage/$plugin_id/${executable}"_*
mkdir -p artifacts
zip_name="${plugin_id}-${version}.zip"
rm -f "artifacts/$zip_name" "artifacts/$zip_name.sha256"
if command -v zip > /dev/null 2>&1; then
  (cd "$stage" && zip -q -r -X "$root/artifacts/$zip_name" "$plugin_id")
else
  # No zip tool: Python's zipfile keeps the files' Unix modes as well.
  (cd "$stage" && python3 -c 'import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for d, dirs, files in os.walk(sys.argv[2]):
        dirs.sort()
        for f in sorted(files):
            z.write(os.path.join(d, f))' "$root/artifacts/$zip_name" "$plugin_id")
fi
(cd artifacts && sha256sum "$zip_name" > "$zip_name.sha256")
rm -rf "$stage"

echo "artifacts/$zip_name"
echo "artifacts/$zip_name.sha256: $(cut -d' ' -f1 "artifacts/$zip_name.sha256")"
