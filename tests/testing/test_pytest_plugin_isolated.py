"""The pytest plugin as a user gets it: the built wheel in fresh virtual environments.

The suite's own environment has pytest-asyncio (the ``dev`` extra) and ``asyncio_mode =
auto``, so it cannot show what a project without pytest-asyncio, or with pytest-asyncio in
its default strict mode, sees. These tests build the wheel from a copy of the checkout,
create venvs with ``uv`` (the ``dev`` extra brings it; installs come from uv's cache, a
few seconds warm) and run pytest there, with a throw-away ``pytest.ini`` so that this
repository's configuration does not leak in:

* without pytest-asyncio (pytest only, newest and lowest allowed): the plugin loads,
  unrelated tests pass, the marker is registered, and a test requesting a fixture fails
  at setup with the install hint (exit 1, not a plugin load error, exit 3);
* with the ``testing`` extra (newest, and lowest: pytest-asyncio 0.24): the README's
  example (:data:`README_EXAMPLE`) passes as written in strict mode.

No skips: without uv, network or cache these tests fail, they do not pass by testing less.
"""

from __future__ import annotations

import email.parser
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from xportcn_async.testing.pytest_plugin import MISSING_PYTEST_ASYNCIO

ROOT = Path(__file__).resolve().parents[2]

#: The README's pytest example, exactly (the "Testing your code" section shows it in a
#: ``python`` code block; :func:`test_readme_shows_the_example` compares them).
README_EXAMPLE = """\
import pytest
from xportcn_async.testing import FaultPlan, FaultRule

@pytest.mark.asyncio
async def test_lists_orders(xportcn_client, xportcn_emulator):
    page = await xportcn_client.taobao.orders.list(page_num=1, page_size=10)
    assert page.total == 200                     # default: 200 orders, seed 0
    assert xportcn_emulator.counters.requests["taobao.orders.list"] == 1

@pytest.mark.asyncio
@pytest.mark.xportcn_emulator(orders=50, seed=7, faults=FaultPlan(default=FaultRule(server_error=0.3)))
async def test_survives_server_errors(xportcn_client, xportcn_emulator):
    await xportcn_client.taobao.orders.list(page_num=1, page_size=10)   # retried through the 5xx
"""

UNRELATED = """\
def test_unrelated():
    assert 1 + 1 == 2
"""

MARKED_SYNC = """\
import pytest

@pytest.mark.xportcn_emulator(orders=1)
def test_marked():
    pass
"""

SYNC_FIXTURE_USER = """\
def test_emulator(xportcn_emulator):
    assert xportcn_emulator.base_url
"""

WIDER_LOOP = """\
import pytest

@pytest.mark.asyncio(loop_scope="module")
async def test_module_loop(xportcn_client):
    await xportcn_client.taobao.orders.list(page_num=1, page_size=10)
"""

#: A fresh project's configuration: nothing about asyncio (so pytest-asyncio's default,
#: strict mode), unknown markers refused.
PYTEST_INI = "[pytest]\naddopts = --strict-markers\n"

#: Environment variables that would carry this run's configuration into the child runs.
_LEAKY = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "COVERAGE_PROCESS_START")


def _environ() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in _LEAKY and not k.startswith(("PYTEST_", "XPORTCN_"))
    }
    env["UV_PYTHON_DOWNLOADS"] = "never"  # the interpreter running this test, never another
    return env


def _run(cmd: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd, cwd=cwd, env=_environ(), capture_output=True, text=True, timeout=timeout, check=False
    )


def _check(cmd: list[str], cwd: Path, timeout: float = 300) -> str:
    proc = _run(cmd, cwd, timeout)
    assert proc.returncode == 0, (
        f"{' '.join(cmd)} exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    )
    return proc.stdout + proc.stderr


def _uv(*args: str, cwd: Path) -> str:
    return _check([sys.executable, "-m", "uv", *args, "--no-config"], cwd)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package's wheel, built from a copy of the checkout (the tree stays untouched)."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(
        ROOT / "xportcn_async",
        src / "xportcn_async",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    _uv("build", "--wheel", "--out-dir", str(tmp / "dist"), str(src), cwd=tmp)
    (built,) = (tmp / "dist").glob("xportcn_async-*.whl")
    return built


def _testing_extra(wheel: Path) -> list[Requirement]:
    """The wheel's ``testing`` extra, as its metadata says."""
    with zipfile.ZipFile(wheel) as zf:
        (name,) = [n for n in zf.namelist() if n.endswith(".dist-info/METADATA")]
        metadata = email.parser.Parser().parsestr(zf.read(name).decode("utf-8"))
    reqs = [Requirement(line) for line in metadata.get_all("Requires-Dist") or []]
    extra = [r for r in reqs if r.marker is not None and r.marker.evaluate({"extra": "testing"})]
    assert {r.name for r in extra} == {"pytest", "pytest-asyncio"}, extra
    return extra


def _venv(wheel: Path, tmp: Path, requirements: list[Requirement], *, lowest: bool) -> Path:
    """A venv on this interpreter with the wheel and ``requirements`` (nothing else)."""
    venv = tmp / "venv"
    _uv("venv", "--quiet", "--python", sys.executable, str(venv), cwd=tmp)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    resolution = ["--resolution", "lowest-direct"] if lowest else []
    reqs = [f"{r.name}{r.specifier}" for r in requirements]
    install = ["pip", "install", "--compile-bytecode", "--python", str(python), *resolution]
    _uv(*install, str(wheel), *reqs, cwd=tmp)
    return python


def _has_pytest_asyncio(python: Path, cwd: Path) -> bool:
    script = "import importlib.util as u; print(u.find_spec('pytest_asyncio') is not None)"
    return _check([str(python), "-c", script], cwd).strip() == "True"


@pytest.fixture(scope="module", params=["newest", "lowest"])
def bare_python(
    request: pytest.FixtureRequest, wheel: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The python of a venv with the package and pytest but no pytest-asyncio."""
    tmp = tmp_path_factory.mktemp(f"bare-{request.param}")
    pytest_only = [r for r in _testing_extra(wheel) if r.name == "pytest"]
    python = _venv(wheel, tmp, pytest_only, lowest=request.param == "lowest")
    assert not _has_pytest_asyncio(python, tmp)
    return python


@pytest.fixture(scope="module", params=["newest", "lowest"])
def asyncio_python(
    request: pytest.FixtureRequest, wheel: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The python of a venv with the package and its ``testing`` extra."""
    tmp = tmp_path_factory.mktemp(f"asyncio-{request.param}")
    python = _venv(wheel, tmp, _testing_extra(wheel), lowest=request.param == "lowest")
    assert _has_pytest_asyncio(python, tmp)
    return python


def _pytest(python: Path, project: Path, files: dict[str, str], *args: str) -> tuple[int, str]:
    """Run pytest in ``python``'s venv on ``files``, written to a fresh ``project``."""
    (project / "pytest.ini").write_text(PYTEST_INI, encoding="utf-8")
    for name, text in files.items():
        (project / name).write_text(text, encoding="utf-8")
    cmd = [str(python), "-m", "pytest", "-c", str(project / "pytest.ini")]
    cmd += ["--rootdir", str(project), "-p", "no:cacheprovider", *args, *files]
    proc = _run(cmd, project, timeout=120)
    return proc.returncode, proc.stdout + proc.stderr


@pytest.mark.slow
def test_without_pytest_asyncio_unrelated_tests_pass(bare_python: Path, tmp_path: Path) -> None:
    rc, out = _pytest(bare_python, tmp_path, {"test_unrelated.py": UNRELATED})
    assert rc == 0, out
    assert re.search(r"^plugins: .*xportcn-async", out, re.MULTILINE), out  # it did load
    assert "1 passed" in out, out


@pytest.mark.slow
def test_without_pytest_asyncio_the_fixtures_fail_with_the_install_hint(
    bare_python: Path, tmp_path: Path
) -> None:
    files = {
        "test_readme.py": README_EXAMPLE,
        "test_sync.py": SYNC_FIXTURE_USER,
        "test_marked.py": MARKED_SYNC,  # the marker is registered (--strict-markers)
    }
    rc, out = _pytest(bare_python, tmp_path, files)
    assert rc == 1, out  # tests failed; 3 would be an internal error, 4 a usage error
    assert "INTERNALERROR" not in out and "Error while loading" not in out, out
    assert out.count(MISSING_PYTEST_ASYNCIO) >= 3, out  # each test says why
    # At setup (before "async def functions are not natively supported"), one per test.
    assert re.search(r"\b1 passed, 3 errors\b", out), out


@pytest.mark.slow
def test_the_readme_example_passes_in_strict_mode(asyncio_python: Path, tmp_path: Path) -> None:
    rc, out = _pytest(asyncio_python, tmp_path, {"test_readme.py": README_EXAMPLE})
    assert rc == 0, out
    assert re.search(r"^asyncio: mode=(Mode\.)?strict", out, re.MULTILINE | re.IGNORECASE), out
    assert re.search(r"\b2 passed\b", out), out


@pytest.mark.slow
def test_a_test_on_a_wider_loop_is_told_why(asyncio_python: Path, tmp_path: Path) -> None:
    rc, out = _pytest(asyncio_python, tmp_path, {"test_loop.py": WIDER_LOOP})
    assert rc in (1, 2), out  # a setup error (1), or pytest-asyncio < 1 refuses it (2)
    ours = "the xportcn fixtures run on the function-scoped event loop"
    theirs = "MultipleEventLoopsRequestedError"  # pytest-asyncio 0.24-0.26
    assert ours in out or theirs in out, out
    assert "1 error" in out, out


# The README shows exactly the example tested above: they cannot drift apart.
def test_readme_shows_the_example() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"```python\n{README_EXAMPLE}```" in readme
