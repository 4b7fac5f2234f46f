"""cbmg in more than one process: `import cbmg` starts building the rules in the background, which
loads must not notice except by being faster, and a forked child (multiprocessing's default on
Linux) must load as its parent does, whether it forked during that build or after a load."""

import json
import os
import subprocess
import sys

import pytest

from conftest import SEEDS

# Row counts and every table's text, as a child process sees them.
LOAD_AND_REPORT = r"""
import json, os, sys
import cbmg
corpus = cbmg.load(sys.argv[1])
print(json.dumps({name: df.write_csv() for name, df in corpus.tables().items()}))
"""

# Forks (at once, while the warm-up most likely still builds; or after a first load, whose worker
# threads the child does not inherit); the child loads the seeds, then the parent does.
FORK_AND_LOAD = r"""
import json, os, sys
import cbmg
if sys.argv[2] == "after_a_load":
    cbmg.load(sys.argv[1])
read, write = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(read)
    corpus = cbmg.load(sys.argv[1])
    os.write(write, json.dumps({n: df.height for n, df in corpus.tables().items()}).encode())
    os._exit(0)
os.close(write)
child = b""
while chunk := os.read(read, 65536):
    child += chunk
_, status = os.waitpid(pid, 0)
parent = {n: df.height for n, df in cbmg.load(sys.argv[1]).tables().items()}
print(json.dumps({"status": status, "child": json.loads(child), "parent": parent}))
"""


def run(code: str, env_extra: dict[str, str], *args: str) -> str:
    env = {**os.environ, **env_extra}
    out = subprocess.run(
        [sys.executable, "-c", code, str(SEEDS), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    return out.stdout


def test_tables_are_the_same_with_and_without_the_warm_up():
    warm = json.loads(run(LOAD_AND_REPORT, {}))
    cold = json.loads(run(LOAD_AND_REPORT, {"CBMG_NO_WARM_UP": "1"}))
    assert warm == cold
    assert len(warm["trials"].splitlines()) > 1


@pytest.mark.parametrize("when", ["during_the_warm_up", "after_a_load"])
def test_a_forked_process_loads_as_its_parent_does(when):
    report = json.loads(run(FORK_AND_LOAD, {}, when))
    assert report["status"] == 0
    assert report["child"] == report["parent"]
    assert report["child"]["documents"] == 5
