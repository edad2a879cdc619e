"""What `tracker` sets up before any command runs: pydantic's plugins off, and found off
without importlib.metadata.

Pydantic looks for third-party plugins (entry points, through importlib.metadata) the first
time it builds a validator. This tool uses none, so `main` turns them off for its own process
(`PYDANTIC_DISABLE_PLUGINS=__all__`, unless the user has set the variable). With plugins off,
pydantic's loader returns no plugins without looking, but importing the loader still imports
importlib.metadata (email, zipfile, csv: about 15 ms of every command). So a loader is put in
its place that answers the same: no plugins while the variable says they are off, and the real
loader's answer (and its every other name) otherwise, loaded when first needed.

Guarantees: nothing changes when the user has set PYDANTIC_DISABLE_PLUGINS to something else
(a list of plugin names) or pydantic's loader is already imported; every answer the stand-in
gives is the one the real loader would give.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
import types
from collections.abc import Iterable
from typing import Any

LOADER = "pydantic.plugin._loader"
# The values pydantic's loader reads as "all plugins off" (`get_plugins`).
PLUGINS_OFF = ("__all__", "1", "true")


def plugins_off() -> bool:
    return os.environ.get("PYDANTIC_DISABLE_PLUGINS") in PLUGINS_OFF


class PluginsOffLoader(types.ModuleType):
    """Pydantic's plugin loader while plugins are off: no plugins, without importlib.metadata.
    Anything else is asked of the real loader."""

    def __init__(self) -> None:
        super().__init__(LOADER)
        self._real: types.ModuleType | None = None

    def real_loader(self) -> types.ModuleType:
        if self._real is None:
            import pydantic.plugin

            spec = importlib.machinery.PathFinder.find_spec(LOADER, pydantic.plugin.__path__)
            if spec is None or spec.loader is None:
                raise ImportError(f"no module named {LOADER!r}", name=LOADER)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            self._real = module
        return self._real

    def get_plugins(self) -> Iterable[Any]:
        if plugins_off():
            return ()
        return self.real_loader().get_plugins()  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "_real":
            raise AttributeError(name)
        return getattr(self.real_loader(), name)


def turn_pydantic_plugins_off() -> None:
    """Plugins off for this process (unless the user said otherwise), and the loader that
    knows it without importlib.metadata."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if plugins_off() and LOADER not in sys.modules:
        sys.modules[LOADER] = PluginsOffLoader()
