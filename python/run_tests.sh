#!/usr/bin/env bash
# The Python side of the test suite: a fresh virtual environment with pinned tools,
# the package built and installed from ./python as a user would (`pip install`), and
# pytest over python/tests (numpy parity, properties, threads, and dask on a local
# two-process cluster).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${NDKIT_VENV:-$root/target/py-venv}"
python="${PYTHON:-python3}"
if [ ! -x "$venv/bin/python" ]; then
    "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r "$root/python/requirements-test.txt"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$root/python"
# From the tests folder, so that `import ndkit` finds the installed package (with its
# compiled extension), not the source folder python/ndkit.
cd "$root/python/tests"
exec "$venv/bin/python" -m pytest -q -p no:cacheprovider "$@"
