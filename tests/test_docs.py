"""The README's endpoint table matches the catalogue the SDK and the emulator use."""

from __future__ import annotations

import re
from pathlib import Path

from xportcn_async import CATALOGUE, XportcnClient

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_lists_every_endpoint_with_its_path_and_provenance() -> None:
    rows = {
        m.group(1): m
        for m in re.finditer(
            r"^\| `([a-z_.]+)`(?: ¹)? \| `xp\.([a-z_.]+)\(\)` \| (\w+)[^|]*\| `([^`]+)` \| (\w+) \|",
            README,
            re.M,
        )
    }
    assert set(rows) == set(CATALOGUE)
    for key, ep in CATALOGUE.items():
        row = rows[key]
        assert row.group(2) == key
        assert (row.group(3), row.group(4), row.group(5)) == (
            ep.method,
            ep.path,
            ep.provenance.value,
        )


def test_every_endpoint_has_a_coroutine_named_after_its_key() -> None:
    xp = XportcnClient(access_key="k", access_secret="s", user_id="u")
    for key in CATALOGUE:
        target: object = xp
        for part in key.split("."):
            target = getattr(target, part)
        assert callable(target), key


def test_the_changelog_follows_keep_a_changelog() -> None:
    text = (Path(__file__).parent.parent / "CHANGELOG.md").read_text(encoding="utf-8")
    kinds = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
    releases: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("## "):
            m = re.fullmatch(r"## \[(Unreleased|\d+\.\d+\.\d+)\](?: - \d{4}-\d{2}-\d{2})?", line)
            assert m, f"not a Keep a Changelog release heading: {line!r}"
            current = releases.setdefault(m.group(1), [])
        elif line.startswith("### "):
            assert current is not None, f"{line!r} comes before any release"
            assert line[4:] in kinds, f"not a Keep a Changelog change type: {line!r}"
            assert line[4:] not in current, f"{line!r} twice in one release"
            current.append(line[4:])
    assert "Unreleased" in releases
    for name in releases:  # every release heading is a link
        assert re.search(rf"^\[{re.escape(name)}\]: https://", text, re.M), name


def test_the_version_lives_in_one_place() -> None:
    from importlib.metadata import version

    import xportcn_async

    pyproject = (Path(__file__).parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^dynamic = \["version"\]', pyproject, re.M)
    assert not re.search(r'^version = "', pyproject, re.M)
    assert version("xportcn-async") == xportcn_async.__version__
