#!/usr/bin/env bash
# Mutation testing of one core folder with Stryker.NET (not part of CI: a folder takes from minutes to an hour on 2 cores).
# Usage: bash build/mutation-test.sh Criteria [extra stryker options]
# Mutates src/Microsoft.ML.AdaptivePruning/<Folder>/**/*.cs and runs only the tests under test/.../<Folder> (and those
# named in TEST_FILTER), so the score says how well that folder's own tests tell its code from a mutant.
set -euo pipefail
cd "$(dirname "$0")/.."
folder="${1:?usage: build/mutation-test.sh <Folder: Training|Loop|Criteria|Network|Scoring> [stryker options]}"
shift
filter="${TEST_FILTER:-FullyQualifiedName~.Tests.${folder}.}"
dotnet tool restore > /dev/null
cd test/Microsoft.ML.AdaptivePruning.Tests
dotnet tool run dotnet-stryker \
  --project Microsoft.ML.AdaptivePruning.csproj \
  --mutate "**/${folder}/**/*.cs" \
  --test-case-filter "${filter}" \
  --configuration Release \
  --concurrency 1 \
  --reporter cleartext --reporter json --reporter markdown \
  --output "../../out/mutation/${folder}" \
  "$@"
