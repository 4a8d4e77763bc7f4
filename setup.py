"""The compiled part of the Python package: the extension itself, built from
ext/ as a plain shared library (it has no Python module init; SQLite loads
it, Python never imports it). Metadata is in pyproject.toml."""
import glob
import os

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))
VERSION = open(os.path.join(HERE, "VERSION")).read().strip()


class build_sqlite_extension(build_ext):
    # A Python extension's file is named after its module; SQLite derives the
    # entry point from the file name up to its first dot, so "fin.<tag>.so"
    # finds sqlite3_fin_init. No PyInit_ symbol is needed or exported.
    def get_export_symbols(self, ext):
        return ["sqlite3_fin_init"]


setup(
    version=VERSION,
    ext_modules=[
        Extension(
            "sqlite_fin.fin",
            sources=sorted(glob.glob("ext/*.c") + glob.glob("ext/*/*.c")),
            depends=sorted(glob.glob("ext/*.h") + glob.glob("ext/*/*.h")) + ["VERSION"],
            define_macros=[("_DEFAULT_SOURCE", None), ("FIN_VERSION", '"v%s"' % VERSION)],
            extra_compile_args=["-std=c11"],
            libraries=["m"],
        )
    ],
    cmdclass={"build_ext": build_sqlite_extension},
)
