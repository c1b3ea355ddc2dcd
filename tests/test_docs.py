"""The documentation says what the code does: generated tables, links, changelog, version."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from xportcn_async import CATALOGUE, AlibabaOrderStatus, TaobaoOrderStatus, XportcnClient

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _docs_hooks() -> ModuleType:
    """docs/hooks.py, the mkdocs hook that generates the site's tables from the code."""
    spec = importlib.util.spec_from_file_location("docs_hooks", ROOT / "docs" / "hooks.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_pages_hold_the_tables_generated_from_the_code() -> None:
    # The site regenerates them as it is built; this keeps the pages read on GitHub right.
    hooks = _docs_hooks()
    for page in sorted((ROOT / "docs").rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        assert hooks.render(text) == text, f"{page}: run `python docs/hooks.py`"


def test_the_endpoint_page_lists_every_endpoint_with_its_path_and_provenance() -> None:
    page = (ROOT / "docs" / "endpoints.md").read_text(encoding="utf-8")
    rows = {
        m.group(1): m
        for m in re.finditer(
            r"^\| `([a-z_.]+)`(?: ¹)? \| `xp\.([a-z_.]+)\(\)` \| (\w+)[^|]*\| `([^`]+)` \| (\w+) \|",
            page,
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


def test_every_status_of_both_platforms_is_explained() -> None:
    page = (ROOT / "docs" / "statuses.md").read_text(encoding="utf-8")
    for status in TaobaoOrderStatus:
        assert re.search(rf"^\| {status.value} \| `{status.name}` \|.*\| \w", page, re.M)
    for alibaba in AlibabaOrderStatus:
        assert re.search(rf"^\| `{alibaba.value}` \| \w", page, re.M)


def test_a_status_without_a_meaning_fails_the_docs_build(monkeypatch: pytest.MonkeyPatch) -> None:
    hooks = _docs_hooks()
    meanings = dict(hooks.TAOBAO_MEANINGS)
    del meanings[TaobaoOrderStatus.WAIT_FINANCE_PAY]
    monkeypatch.setattr(hooks, "TAOBAO_MEANINGS", meanings)
    page = "<!-- generated: taobao-statuses -->\n<!-- end generated -->\n"
    with pytest.raises(KeyError, match="WAIT_FINANCE_PAY"):
        hooks.on_page_markdown(page, page=None, config=None, files=None)
    with pytest.raises(KeyError, match="unknown generated table 'nope'"):
        hooks.render("<!-- generated: nope -->\n<!-- end generated -->")


def test_the_readme_links_into_the_docs_and_every_link_resolves() -> None:
    for target in re.findall(r"\]\(((?:docs|examples|benchmarks)/[^)#]+)", README):
        assert (ROOT / target).exists(), target
    assert "docs/getting-started.md" in README


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
