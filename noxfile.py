"""The test matrix: the whole suite on every supported CPython, and once more on the lowest
versions of the direct dependencies that ``pyproject.toml`` allows.

    nox                   every session below (``make test`` runs this)
    nox -s tests-3.12     one interpreter
    nox -s lowest         the lowest allowed aiohttp, attrs, cattrs, tenacity, orjson, click, rich,
                          asyncpg
    nox -l                list the sessions

Interpreters are looked up on ``PATH`` and in pyenv's ``versions`` folder. One that is missing
is skipped on a developer's machine and is a failure under CI (``CI`` set), so a CI machine
cannot pass by testing less.

Depth: the slow suites (chaos, fuzz, the pytest-plugin venvs: marker ``slow``) run in full on
:data:`PRIMARY` and are deselected on the other interpreters (which also run at
``XPORTCN_TEST_DEPTH=quick``); every other test runs everywhere. That keeps ``make test``
(and CI) under 20 minutes on two cores.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import nox

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: nox brings tomli
    import tomli as tomllib  # type: ignore[no-redef]

from packaging.requirements import Requirement
from packaging.version import Version

PYTHONS = ["3.10", "3.11", "3.12", "3.13"]
PRIMARY = "3.11"
#: The lowest dependency versions are oldest on the oldest interpreter: test them there.
LOWEST_PYTHON = PYTHONS[0]
ROOT = Path(__file__).parent

nox.options.sessions = ["tests", "lowest"]
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.error_on_missing_interpreters = os.environ.get("CI", "").lower() not in (
    "",
    "0",
    "false",
)
# uv must find an interpreter on this machine, never download one in place of a missing one.
os.environ["UV_PYTHON_DOWNLOADS"] = "never"


def _find_pyenv_interpreters() -> None:
    """Put pyenv's real interpreters ahead of its shims, which refuse versions not selected."""
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    bins = sorted(str(p) for p in root.glob("3.*/bin") if p.is_dir())
    if bins:
        os.environ["PATH"] = os.pathsep.join([*bins, os.environ.get("PATH", "")])


_find_pyenv_interpreters()


def _pytest(session: nox.Session, *, quick: bool) -> None:
    env = {"XPORTCN_TEST_DEPTH": "quick" if quick else "full"}
    # Off the primary interpreter the slow suites (chaos, fuzz, the pytest-plugin venvs;
    # marker ``slow``) are deselected: they test behaviour, not the interpreter, and they
    # would push ``make test`` past CI's 20 minutes. They run in full on PRIMARY.
    marks = ["-m", "not slow"] if quick and not session.posargs else []
    session.run(
        "python",
        "-m",
        "pytest",
        "-q",
        "-W",
        "error::ResourceWarning",
        *marks,
        *session.posargs,
        env=env,
    )


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The whole suite on one interpreter with the newest allowed dependencies."""
    session.install("-e", ".[dev]")
    _pytest(session, quick=session.python != PRIMARY)


def lowest_pins() -> list[str]:
    """``name==lower bound`` for every direct runtime dependency (and the ``cli`` and
    ``postgres`` extras)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = []
    extras = project["optional-dependencies"]
    for line in [*project["dependencies"], *extras["cli"], *extras["postgres"]]:
        req = Requirement(line)
        if req.marker is not None and not req.marker.evaluate():
            continue  # not installed on this platform (tzdata off Windows)
        lower = [s.version for s in req.specifier if s.operator in (">=", "==", "~=")]
        if not lower:
            raise RuntimeError(f"{line!r} in pyproject.toml has no lower bound to test")
        pins.append(f"{req.name}=={lower[0]}")
    return pins


@nox.session(python=LOWEST_PYTHON)
def lowest(session: nox.Session) -> None:
    """The whole suite with the lowest allowed direct dependencies (test tools stay newest)."""
    pins = lowest_pins()
    with tempfile.TemporaryDirectory() as tmp:
        constraints = Path(tmp) / "lowest.txt"
        constraints.write_text("\n".join(pins) + "\n", encoding="utf-8")
        session.install("-c", str(constraints), "-e", ".[dev]")
    # Prove the pins took: a resolver that quietly chose newer versions would test nothing.
    names = [pin.split("==")[0] for pin in pins]
    script = (
        "import sys; from importlib.metadata import version; print(*map(version, sys.argv[1:]))"
    )
    installed = str(session.run("python", "-c", script, *names, silent=True)).split()
    wrong = [
        f"{pin} (got {got})"
        for pin, got in zip(pins, installed, strict=True)
        if Version(got) != Version(pin.split("==")[1])
    ]
    if wrong:
        session.error(f"the lowest versions were not installed: {', '.join(wrong)}")
    session.log("lowest: " + ", ".join(f"{n}=={v}" for n, v in zip(names, installed, strict=True)))
    _pytest(session, quick=True)
