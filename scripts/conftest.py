"""pytest's view of the script checks: where the built binaries are, the reliability budget, the contract's
examples, and a one-line report per check (`verdict`) listed again at the end of the run for the CI log.

    python3 -m pytest scripts [--clippings BINARY] [--release-dir DIR] [--budget short|full] [--max-examples N]

Nothing is built here: a binary that is not there fails the checks that need it.
"""
import os
import shutil
import tempfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def pytest_addoption(parser):
    group = parser.getgroup("clippings")
    group.addoption("--clippings", default=os.environ.get("CLIPPINGS_BIN", os.path.join(ROOT, ".build/debug/clippings")),
                    help="the clippings executable the server checks and the contract run serve "
                         "(env CLIPPINGS_BIN; default .build/debug/clippings)")
    group.addoption("--release-dir", default=os.environ.get("CLIPPINGS_RELEASE_DIR", os.path.join(ROOT, ".build-static/release")),
                    help="the folder of release clippings and clippings-corpus executables the reliability "
                         "checks run (env CLIPPINGS_RELEASE_DIR; default .build-static/release)")
    group.addoption("--budget", choices=("short", "full"), default="short",
                    help="reliability rounds and durations: short (CI) or full")
    group.addoption("--max-examples", type=int, default=50, help="Schemathesis examples per operation")
    group.addoption("--keep-scratch", action="store_true", help="keep the reliability checks' temporary folder")


def executable(path, option):
    path = os.path.abspath(path)
    if not os.access(path, os.X_OK):
        pytest.fail(f"{path} is not an executable file: build it, or name another with {option}", pytrace=False)
    return path


@pytest.fixture(scope="session")
def clippings(pytestconfig):
    """The clippings executable the server checks and the contract run use."""
    return executable(pytestconfig.getoption("clippings"), "--clippings (or CLIPPINGS_BIN)")


@pytest.fixture(scope="session")
def release_dir(pytestconfig):
    """The folder of release executables the reliability checks use."""
    folder = os.path.abspath(pytestconfig.getoption("release_dir"))
    for name in ("clippings", "clippings-corpus"):
        executable(os.path.join(folder, name), "--release-dir (or CLIPPINGS_RELEASE_DIR)")
    return folder


@pytest.fixture(scope="session")
def scratch(pytestconfig):
    """A temporary folder for the session, removed at the end unless --keep-scratch."""
    folder = tempfile.mkdtemp(prefix="script-checks-")
    yield folder
    if pytestconfig.getoption("keep_scratch"):
        print(f"\nscratch kept in {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)


REPORTS = []


@pytest.fixture
def verdict(request):
    """`verdict(ok, detail)`: records the check's one-line report (`ok    NAME: detail` or `FAIL  NAME:
    detail`, listed at the end of the run) and fails the test when not ok."""
    name = request.node.name.removeprefix("test_").replace("_", "-")

    def judge(ok, detail):
        line = f"{'ok   ' if ok else 'FAIL '} {name}: {detail}"
        REPORTS.append(line)
        request.node.user_properties.append(("detail", detail))
        print(line, flush=True)
        assert ok, detail

    return judge


def pytest_terminal_summary(terminalreporter):
    if REPORTS:
        terminalreporter.section("script checks, one line each")
        for line in REPORTS:
            terminalreporter.write_line(line)
