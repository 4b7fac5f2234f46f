from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED_DEV = ROOT.parent / "shared" / "corpus" / "dev"


@pytest.fixture(scope="session")
def seeds():
    import cbmg

    return cbmg.load(SEEDS)


@pytest.fixture(scope="session")
def dev_corpus():
    if not SHARED_DEV.is_dir():
        pytest.skip(f"the shared dev corpus is not at {SHARED_DEV} (only in the project workspace)")
    import cbmg

    return cbmg.load(SHARED_DEV)
