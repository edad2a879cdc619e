"""The optional `office` extra (python-docx, XlsxWriter): imported only when a Word or Excel
file is asked for, and when it is missing, one line saying how to install it (exit 2)."""

from __future__ import annotations

from types import ModuleType

from liuxia_tracker.diagnostics import UsageError

INSTALL_HINT = (
    "{what} needs the office extra: pip install 'liuxia-tracker[office]' (python-docx, XlsxWriter)"
)


def require(module: str, what: str) -> ModuleType:
    """`module` imported, or a usage error (exit 2) with the one-line install hint."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise UsageError(INSTALL_HINT.format(what=what)) from None
