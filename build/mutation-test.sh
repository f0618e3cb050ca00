#!/usr/bin/env bash
# Mutation testing of one core folder with Stryker.NET (not part of CI: a folder takes from minutes to an hour on 2 cores).
# Usage: bash build/mutation-test.sh Criteria [extra stryker options, e.g. --mutate "**/Criteria/MaskSelector.cs"]
# Mutates src/Microsoft.ML.AdaptivePruning/<Folder>/**/*.cs and runs only the test fixtures under
# test/Microsoft.ML.AdaptivePruning.Tests/<Folder>, so the score says how well that folder's own tests tell its code
# from a mutant. EXCLUDE_FIXTURES="ClassA ClassB" leaves slow fixture files (named after their class) out;
# MUTATE="**/Loop/AdaptiveController.cs" narrows what is mutated (Stryker unions repeated --mutate options);
# EXTRA_FIXTURES="ClassA" adds fixture files from other folders, for code whose own tests live elsewhere (the int8
# storage under Scoring/Onnx/ is tested by Quantization/Int8StorageTests); RUN_NAME="ScoringRoot" writes to
# out/mutation/<RUN_NAME>/ instead of out/mutation/<Folder>/, so two runs of one folder can go side by side.
#
# Why a generated test project rather than --test-case-filter: Stryker's VSTest runner counts the tests it discovered,
# and the NUnit adapter ignores the test-case filter during discovery, so the initial run of a filtered subset (66 of
# 484 tests for Criteria) looks to Stryker like a run that stopped early: "Initial test run could not be completed".
# (A namespace filter also selected nothing: Criteria, Network and Scoring tests keep the root test namespace.)
# So the script writes out/mutation/<Folder>/project/, a copy of the test project that compiles only that folder's
# fixtures plus the shared helpers (files without tests); every test it discovers is one we mean to run.
# Shared settings (concurrency, reporters, timeouts) are in build/stryker-config.json.
set -euo pipefail
cd "$(dirname "$0")/.."
folder="${1:?usage: build/mutation-test.sh <Folder: Training|Loop|Criteria|Network|Scoring> [stryker options]}"
shift
root=$(pwd)
tests="$root/test/Microsoft.ML.AdaptivePruning.Tests"
[[ -d "$tests/$folder" ]] || { echo "no test folder $tests/$folder" >&2; exit 1; }
out="$root/out/mutation/${RUN_NAME:-$folder}"
project="$out/project"
rm -rf "$project" && mkdir -p "$project"

has_tests() { grep -qE '^\s*\[(Test|TestCase|TestCaseSource)\b' "$1"; }
items=""
count=0
while IFS= read -r file; do
  name=$(basename "$file" .cs)
  if has_tests "$file"; then
    [[ "$file" == "$tests/$folder/"* || " ${EXTRA_FIXTURES:-} " == *" $name "* ]] || continue
    [[ " ${EXCLUDE_FIXTURES:-} " == *" $name "* ]] && { echo "left out: $name"; continue; }
    count=$((count + 1))
  fi
  items+="    <Compile Include=\"${file}\" Link=\"${file#"$tests/"}\" />"$'\n'
done < <(find "$tests" -name '*.cs' -not -path '*/bin/*' -not -path '*/obj/*' | sort)
[[ $count -gt 0 ]] || { echo "no test fixture left under $tests/$folder" >&2; exit 1; }
echo "fixture files compiled: $count (from $folder/${EXTRA_FIXTURES:+, and $EXTRA_FIXTURES}), plus the shared helpers"

# Same settings as the real test project (Exe with its own Program.cs, which doubles as the fresh-process scoring
# host; linux-x64 output with the libtorch natives and the native fix from Directory.Build.*), same assembly name
# (the library's InternalsVisibleTo names it); the CLI reference is dropped, no core folder's tests start the CLI.
grep -v -e 'AdaptivePruning.Cli.csproj' -e 'CLI tests can run it' "$tests/Microsoft.ML.AdaptivePruning.Tests.csproj" \
  | sed -e "s#\.\./\.\./src/#$root/src/#" \
        -e "s#<PropertyGroup>#<PropertyGroup>\n    <EnableDefaultCompileItems>false</EnableDefaultCompileItems>#" \
        -e "s#</Project>#  <ItemGroup>\n${items//$'\n'/\\n}  </ItemGroup>\n</Project>#" \
  > "$project/Microsoft.ML.AdaptivePruning.Tests.csproj"

dotnet tool restore > /dev/null
# At nice 19 beside benchmarks at nice -15 a process can wait minutes for a core, longer than VSTest's 90 s connection
# timeouts; a first run of 2026-12-02 then sat in "Initial test run started" for 27 minutes with no test host alive.
# VSTEST_CONNECTION_TIMEOUT (seconds) lengthens every VSTest connection timeout.
export VSTEST_CONNECTION_TIMEOUT="${VSTEST_CONNECTION_TIMEOUT:-600}"
cd "$project"
dotnet tool run dotnet-stryker \
  --config-file "$root/build/stryker-config.json" \
  --mutate "${MUTATE:-**/${folder}/**/*.cs}" \
  --output "$out/report" \
  "$@"
