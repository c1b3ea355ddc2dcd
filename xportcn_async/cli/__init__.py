"""The ``xportcn`` command line: one module per command, exit codes in :mod:`._app`.

``main`` is the click group (the ``xportcn`` entry point); importing the command
modules registers their commands on it.
"""

from . import doctor, emulator, export, sync
from ._app import main

__all__ = ["doctor", "emulator", "export", "main", "sync"]
