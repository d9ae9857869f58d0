# Sourced by the sections of scripts/paper.sh: the repository root as the
# working directory, and where the programs, the data and the models are.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
BUILD_DIR=${BUILD_DIR:-build}
DATA=${LMZIP_DATA:-../shared/data}
export LMZIP_MODEL_PATH=${LMZIP_MODEL_PATH:-$PWD/models}
