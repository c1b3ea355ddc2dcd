"""Build the sdist and the wheel, check them, and run the tests from the unpacked sdist.

    python tools/check_dist.py [--outdir DIR] [--full]

``make test`` runs it (target ``dist``). It fails when:

* ``python -m build`` fails, or ``twine check --strict`` finds the metadata or the README
  unfit for the package index;
* the sdist lacks what its users need to check a release: the tests with ``conftest.py``,
  the fixtures and the chaos suite, the docs, the benchmarks;
* the version in a file name differs from ``xportcn_async.__version__`` (the one place it lives);
* the wheel carries anything but the package (tests or docs installed into site-packages);
* the tests of the unpacked sdist fail: by default a quick subset that needs the fixtures,
  and the docs (``--full`` runs the whole suite from the sdist).
"""

from __future__ import annotations

import argparse
import ast
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Paths (relative to the sdist's top folder) that must be in it.
REQUIRED_IN_SDIST = [
    "pyproject.toml",
    "README.md",
    "CHANGELOG.md",
    "LICENSE",
    "tests/conftest.py",
    "tests/fixtures/taobao_order_list.response.json",
    "tests/chaos/test_chaos_sync.py",
    "tests/test_docs.py",
    "docs/emulator.md",
    "docs/hooks.py",
    "docs/guides/sync.md",
    "mkdocs.yml",
    "examples/create_order.py",
    "tests/test_examples.py",
    "benchmarks/README.md",
    "xportcn_async/py.typed",
]

#: The tests run from the unpacked sdist by default: they read the fixtures, the README, the
#: docs and the examples and load conftest.py, so a file left out of the sdist fails them.
QUICK_TESTS = [
    "tests/models",
    "tests/test_docs.py",
    "tests/test_examples.py",
]


def version() -> str:
    """``__version__`` from the package's ``__init__.py``, read without importing it."""
    tree = ast.parse((ROOT / "xportcn_async" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__version__" for t in node.targets
        ):
            value = ast.literal_eval(node.value)
            if isinstance(value, str):
                return value
    raise SystemExit("xportcn_async/__init__.py has no __version__ = '…' literal")


def fail(message: str) -> None:
    print(f"check_dist: {message}", file=sys.stderr)
    raise SystemExit(1)


def run(*args: str | Path, cwd: Path = ROOT) -> None:
    print("+", " ".join(map(str, args)), flush=True)
    subprocess.run([str(a) for a in args], cwd=cwd, check=True)  # noqa: S603


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outdir", type=Path, default=None, help="keep the built files here")
    parser.add_argument("--full", action="store_true", help="run the whole suite from the sdist")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xportcn-dist-") as tmp:
        outdir = args.outdir or Path(tmp) / "dist"
        outdir.mkdir(parents=True, exist_ok=True)
        for old in [*outdir.glob("*.tar.gz"), *outdir.glob("*.whl")]:
            old.unlink()
        run(sys.executable, "-m", "build", "--outdir", outdir, ROOT)
        sdists, wheels = sorted(outdir.glob("*.tar.gz")), sorted(outdir.glob("*.whl"))
        if len(sdists) != 1 or len(wheels) != 1:
            fail(f"expected one sdist and one wheel in {outdir}, got {sdists + wheels}")
        sdist, wheel = sdists[0], wheels[0]
        run(sys.executable, "-m", "twine", "check", "--strict", sdist, wheel)

        expected = version()
        top = f"xportcn_async-{expected}"
        if sdist.name != f"{top}.tar.gz" or not wheel.name.startswith(f"{top}-"):
            fail(f"built {sdist.name} and {wheel.name}, but __version__ is {expected}")
        with tarfile.open(sdist) as tar:
            names = set(tar.getnames())
            missing = [p for p in REQUIRED_IN_SDIST if f"{top}/{p}" not in names]
            if missing:
                fail(f"the sdist lacks {', '.join(missing)} (MANIFEST.in)")
            stray = sorted(n for n in names if "__pycache__" in n or n.endswith(".sqlite"))
            if stray:
                fail(f"the sdist carries build or run leftovers: {stray[:5]}")
            unpacked = Path(tmp) / "sdist"
            tar.extractall(unpacked, filter="data")
        with zipfile.ZipFile(wheel) as zf:
            outside = sorted(
                {n.split("/")[0] for n in zf.namelist()} - {"xportcn_async", f"{top}.dist-info"}
            )
            if outside:
                fail(f"the wheel installs more than the package: {outside}")
        print(f"check_dist: {sdist.name} and {wheel.name} are complete ({len(names)} files)")

        # The tests of the sdist, run against the sdist's own package: ``python -m pytest``
        # puts the unpacked folder first on sys.path, and the check below proves it.
        here = unpacked / top
        probe = "import xportcn_async, sys; print(xportcn_async.__file__)"
        found = subprocess.run(  # noqa: S603
            [sys.executable, "-c", probe], cwd=here, check=True, capture_output=True, text=True
        ).stdout.strip()
        if not Path(found).resolve().is_relative_to(here.resolve()):
            fail(f"the sdist's tests would import {found}, not the sdist's package")
        env = {**os.environ, "XPORTCN_TEST_DEPTH": "quick"}
        selection = [] if args.full else QUICK_TESTS
        cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *selection]
        print("+", " ".join(cmd), f"(in {here})", flush=True)
        subprocess.run(cmd, cwd=here, env=env, check=True)  # noqa: S603


if __name__ == "__main__":
    main()
