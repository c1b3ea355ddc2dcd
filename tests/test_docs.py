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
