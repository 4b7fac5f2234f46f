#!/usr/bin/env bash
# The README's test command: installs cbmg with its test dependencies into the active Python
# environment, then runs the lints, the Rust tests and the Python tests (notebooks included).
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet ".[test]"
# The notebooks run on a kernel of this environment, installed inside it, never over the
# user's own kernels.
python -m ipykernel install --sys-prefix --name python3 >/dev/null

cargo fmt --check
cargo clippy --all-targets --quiet -- -D warnings
cargo clippy --features python --quiet -- -D warnings
cargo test --quiet
ruff check python tests bench
ruff format --check python tests bench
# The typed API: the package strictly, and the compiled module against its stub.
mypy --strict python/cbmg
python -m mypy.stubtest cbmg._core

set +e
python -m pytest -q
status=$?
set -e
# pytest exit code 5 means no test was collected: that is a failure here too.
if [ "$status" -eq 5 ]; then
    echo "pytest collected no tests" >&2
    exit 1
fi
exit "$status"
