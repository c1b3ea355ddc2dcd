"""A griffe extension for the API reference: Sphinx roles in docstrings become inline code.

The docstrings are written for reading in an editor, with Sphinx roles
(``:class:`~xportcn_async.Page```); mkdocstrings renders Markdown, so without this the
reference would show the role markup. ``mkdocs.yml`` loads it (mkdocstrings' python handler,
``options.extensions``).
"""

from __future__ import annotations

import re
from typing import Any

import griffe

__all__ = ["RstRoles", "rst_roles_to_code"]

_ROLE = re.compile(r":(?:py:)?(?:class|meth|func|data|attr|mod|exc|obj|const):`(~?)([^`]+)`")


def rst_roles_to_code(text: str) -> str:
    """``:class:`~a.b.C``` → ```C```, ``:mod:`a.b``` → ```a.b```; ``Example::`` → ``Example:``."""

    def code(m: re.Match[str]) -> str:
        target = m.group(2)
        return f"`{target.rsplit('.', 1)[-1] if m.group(1) else target}`"

    text = _ROLE.sub(code, text)
    text = re.sub(r"^[ \t]*::$", "", text, flags=re.M)  # a literal block's lone "::"
    return re.sub(r"(?<=\S)::$", ":", text, flags=re.M)


class RstRoles(griffe.Extension):
    """Rewrite the Sphinx roles of every docstring as inline code before it is rendered."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = rst_roles_to_code(obj.docstring.value)
