#!/usr/bin/env bash
# Packs Microsoft.ML.AdaptivePruning and consumes the package the way a user would: a fresh console app outside
# the repository, a nuget.config that adds the local package folder to the machine's default sources,
# `dotnet add package`, the README's usage sample as Program.cs, build and run. Also checks the package holds the
# XML docs, README.md, the licence expression and the buildTransitive native fix.
# With --tool it also packs the adaptive-prune tool, installs it with `dotnet tool install --tool-path` from the
# same folder and runs it on an embedded sample.
#
# usage: build/pack-and-consume.sh [--tool] [--keep]
#   --tool   also pack, install and run the adaptive-prune .NET tool
#   --keep   keep the scratch folder (printed at the start) instead of deleting it
# Nothing is written inside the repository: builds go to the scratch folder's artifacts/.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
with_tool=false
keep=false
for arg in "$@"; do
  case "$arg" in
    --tool) with_tool=true ;;
    --keep) keep=true ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "pack-and-consume: unknown argument '$arg' (expected --tool or --keep)" >&2; exit 2 ;;
  esac
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
work="$(mktemp -d)"
global_packages="$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')"
start=$SECONDS
# A unique prerelease version, so a package cached by an earlier run is never picked up instead of this one.
base_version="$(dotnet msbuild "$repo/src/Microsoft.ML.AdaptivePruning/Microsoft.ML.AdaptivePruning.csproj" -getProperty:Version)"
version="$base_version-local.$(date -u +%Y%m%d%H%M%S)"

cleanup() {
  # Only this run's own entries in the global package cache, never anything else.
  rm -rf "$global_packages/microsoft.ml.adaptivepruning/$version" "$global_packages/microsoft.ml.adaptivepruning.cli/$version"
  if $keep; then echo "Kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

step() { echo; echo "== [$((SECONDS - start)) s] $*"; }
fail() { echo "pack-and-consume: FAILED: $*" >&2; exit 1; }

echo "Scratch folder: $work; package version $version"

step "dotnet pack (Release) into $work/feed"
dotnet pack "$repo/src/Microsoft.ML.AdaptivePruning/Microsoft.ML.AdaptivePruning.csproj" -c Release \
  -p:Version="$version" --artifacts-path "$work/artifacts" -o "$work/feed" -v quiet -clp:NoSummary -nowarn:CS1573,CS0419
nupkg="$work/feed/Microsoft.ML.AdaptivePruning.$version.nupkg"
[ -f "$nupkg" ] || fail "no package at $nupkg"

step "package contents"
listing="$(unzip -l "$nupkg")"
for entry in lib/net10.0/Microsoft.ML.AdaptivePruning.dll lib/net10.0/Microsoft.ML.AdaptivePruning.xml README.md \
             buildTransitive/Microsoft.ML.AdaptivePruning.targets buildTransitive/TorchSharp.NativeFix.cs; do
  grep -qE " $entry\$" <<<"$listing" || fail "the package has no $entry"
  echo "  has $entry"
done
nuspec="$(unzip -p "$nupkg" Microsoft.ML.AdaptivePruning.nuspec)"
grep -q '<license type="expression">MIT</license>' <<<"$nuspec" || fail "the nuspec has no MIT licence expression"
grep -q '<readme>README.md</readme>' <<<"$nuspec" || fail "the nuspec does not name README.md as the readme"
echo "  nuspec: licence expression MIT, readme README.md"
unzip -p "$nupkg" buildTransitive/Microsoft.ML.AdaptivePruning.targets | cmp -s - "$repo/build/TorchSharp.NativeFix.targets" \
  || fail "buildTransitive/Microsoft.ML.AdaptivePruning.targets differs from build/TorchSharp.NativeFix.targets"
echo "  buildTransitive targets = build/TorchSharp.NativeFix.targets"
unzip -p "$nupkg" buildTransitive/TorchSharp.NativeFix.cs | cmp -s - "$repo/build/TorchSharp.NativeFix.cs" \
  || fail "buildTransitive/TorchSharp.NativeFix.cs differs from build/TorchSharp.NativeFix.cs"
echo "  buildTransitive task source = build/TorchSharp.NativeFix.cs"
[ "$(unzip -p "$nupkg" lib/net10.0/Microsoft.ML.AdaptivePruning.xml | grep -c '<member name=')" -gt 100 ] \
  || fail "the XML documentation file is nearly empty"

step "consumer app in $work/app (outside the repository)"
app="$work/app"
mkdir -p "$app"
cd "$app"
dotnet new console --framework net10.0 --name Consumer --output . >/dev/null
# The local folder is added to the machine's default sources (no <clear/>), as a user would add a private feed.
cat > nuget.config <<CONFIG
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="local" value="$work/feed" />
  </packageSources>
</configuration>
CONFIG
dotnet add package Microsoft.ML.AdaptivePruning --version "$version" >/dev/null
echo "  added Microsoft.ML.AdaptivePruning $version"

# Program.cs: the namespaces, then the README's usage sample exactly as written there.
sample="$(awk '/^## Usage/{usage=1} usage && /^```csharp/{code=1; next} code && /^```/{exit} code' "$repo/README.md")"
[ -n "$sample" ] || fail "README.md has no csharp block under '## Usage'"
printf 'using Microsoft.ML;\nusing Microsoft.ML.AdaptivePruning;\n\n%s\n' "$sample" > Program.cs
echo "  Program.cs = README usage sample ($(wc -l <<<"$sample") lines)"

step "dotnet build (Release)"
dotnet build -c Release -v quiet -clp:NoSummary >/dev/null || { dotnet build -c Release -v minimal; fail "the consumer app does not build"; }

step "run the README sample"
run_start=$SECONDS
dotnet bin/Release/net10.0/Consumer.dll | tee "$work/run.log"
grep -qE 'nonzero parameters \([0-9.]+x\)' "$work/run.log" || fail "the app did not print the compression report"
[ -s model.zip ] || fail "the app did not save model.zip"
echo "  exit 0, report printed, model.zip $(stat -c %s model.zip) bytes; run took $((SECONDS - run_start)) s"

if $with_tool; then
  step "dotnet pack the adaptive-prune tool"
  cd "$work"
  dotnet pack "$repo/src/AdaptivePruning.Cli/AdaptivePruning.Cli.csproj" -c Release -p:Version="$version" \
    --artifacts-path "$work/artifacts" -o "$work/feed" -v quiet -clp:NoSummary -nowarn:CS1573,CS0419
  tool_nupkg="$work/feed/Microsoft.ML.AdaptivePruning.Cli.$version.nupkg"
  [ -f "$tool_nupkg" ] || fail "no tool package at $tool_nupkg"
  echo "  $(basename "$tool_nupkg"): $(( $(stat -c %s "$tool_nupkg") / 1048576 )) MiB"

  step "dotnet tool install --tool-path $work/tools"
  dotnet tool install --tool-path "$work/tools" --add-source "$work/feed" --version "$version" Microsoft.ML.AdaptivePruning.Cli
  "$work/tools/adaptive-prune" --help >/dev/null || fail "adaptive-prune --help failed"

  step "adaptive-prune --sample breast-cancer"
  "$work/tools/adaptive-prune" --sample breast-cancer --hidden 16 --epochs 20 --batch-size 32 --fine-tune-epochs 1 \
    --max-iterations 4 --max-metric-drop 0.01 --output "$work/tool-out"
  for file in model.zip report.json report.md; do
    [ -s "$work/tool-out/$file" ] || fail "the tool wrote no $file"
  done
  echo "  exit 0, wrote model.zip, report.json, report.md"
fi

step "all checks passed"
