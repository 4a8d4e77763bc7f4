"""sqlite-fin for Python: the SQLite extension, compiled into this package.

    import sqlite3, sqlite_fin
    conn = sqlite3.connect("prices.db")
    sqlite_fin.load(conn)
    conn.execute("SELECT * FROM fin_drawdowns('closes') ORDER BY depth LIMIT 3").fetchall()

loadable_path() is the file to hand to other tools (sqlite-utils
--load-extension, Datasette --load-extension, the sqlite3 shell's .load).
"""
import os

__all__ = ["load", "loadable_path", "__version__"]

_HERE = os.path.dirname(os.path.abspath(__file__))


def _version():
    try:
        from importlib.metadata import version

        return version("sqlite-fin")
    except Exception:  # running from a source tree
        return "unknown"


__version__ = _version()


def loadable_path():
    """The path of the compiled extension (fin.so, fin.dylib or fin.dll)."""
    for name in ("fin.so", "fin.dylib", "fin.dll"):
        path = os.path.join(_HERE, name)
        if os.path.exists(path):
            return path
    raise FileNotFoundError(
        "sqlite_fin: the compiled extension is missing from %s; install the package "
        "with pip (README.md, \"The Python package\") rather than importing its source folder" % _HERE)


def load(conn):
    """Loads sqlite-fin into an open sqlite3 connection.

    Extension loading is switched on for the call only, then off again.
    Raises RuntimeError, with what to do, when this Python's sqlite3 module
    was built without loadable-extension support.
    """
    if not hasattr(conn, "enable_load_extension"):
        import sys

        raise RuntimeError(
            "sqlite_fin: this Python (%s) has an sqlite3 module built without loadable SQLite "
            "extension support (common for pyenv builds and the macOS system Python), so no "
            "extension can be loaded. Use a Python built with it, such as Debian's "
            "/usr/bin/python3 or python.org's installers, or rebuild this one with "
            "PYTHON_CONFIGURE_OPTS=--enable-loadable-sqlite-extensions." % sys.executable)
    conn.enable_load_extension(True)
    try:
        conn.load_extension(loadable_path())
    finally:
        conn.enable_load_extension(False)
