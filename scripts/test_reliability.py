"""The reliability checks (scripts/reliability_checks.py) under pytest, on the release binaries:

    python3 -m pytest scripts/test_reliability.py [--release-dir DIR] [--budget short|full] [-k crash]

Each check needs a process of its own to kill -9, to starve of disk or mount read-only, to race an import
against, to run beside a PostgreSQL replica, or to fuzz (the fuzz check compiles its target with swiftc).
"""
import pytest

import reliability_checks as checks


@pytest.fixture(scope="module")
def context(release_dir, scratch, pytestconfig):
    """Binaries, budget and generated corpora, shared by the checks of one run."""
    return checks.Context(release_dir, checks.BUDGETS[pytestconfig.getoption("budget")], scratch)


@pytest.fixture(autouse=True)
def children():
    """No process a check started outlives it."""
    yield
    checks.stop_children()


def test_crash(context, verdict):
    verdict(*checks.check_crash(context))


def test_import_kill(context, verdict):
    verdict(*checks.check_import_kill(context))


def test_concurrency(context, verdict):
    verdict(*checks.check_concurrency(context))


def test_unwritable(context, verdict):
    verdict(*checks.check_unwritable(context))


def test_replicas(context, verdict):
    verdict(*checks.check_replicas(context))


def test_fuzz(context, verdict):
    verdict(*checks.check_fuzz(context))
