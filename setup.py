"""The compiled part of the Python package: the extension itself, built from
ext/ as a plain shared library (it has no Python module init; SQLite loads
it, Python never imports it). Metadata is in pyproject.toml.

Because nothing in the library depends on the Python that built it (it links
no libpython and calls no Python API), the file is named fin.so rather than
fin.cpython-311-x86_64-linux-gnu.so, and the wheel is tagged
py3-none-<platform> rather than cp311-cp311-<platform>: one wheel serves every
Python 3 on that platform (and any other program that loads SQLite
extensions)."""
import glob
import os
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

try:  # setuptools 70.1 and later have bdist_wheel built in
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:
    try:  # before that, the wheel package provides it (Debian 12: python3-wheel)
        from wheel.bdist_wheel import bdist_wheel
    except ImportError:  # an sdist or a plain build needs no wheel command
        bdist_wheel = None

HERE = os.path.dirname(os.path.abspath(__file__))
VERSION = open(os.path.join(HERE, "VERSION")).read().strip()


class build_sqlite_extension(build_ext):
    # SQLite derives the entry point from the file name up to its first dot,
    # so fin.so finds sqlite3_fin_init. No PyInit_ symbol is needed or exported.
    def get_export_symbols(self, ext):
        return ["sqlite3_fin_init"]

    # The platform's own suffix for a loadable library, without Python's ABI
    # tag (which would claim a tie to one interpreter that does not exist).
    def get_ext_filename(self, fullname):
        suffix = {"win32": ".dll", "darwin": ".dylib"}.get(sys.platform, ".so")
        return os.path.join(*fullname.split(".")) + suffix


cmdclass = {"build_ext": build_sqlite_extension}

if bdist_wheel is not None:
    class bdist_wheel_any_python(bdist_wheel):
        # The platform part stays (the library is machine code for it); the
        # interpreter and ABI parts become py3 and none.
        def get_tag(self):
            _, _, platform = super().get_tag()
            return "py3", "none", platform

    cmdclass["bdist_wheel"] = bdist_wheel_any_python


setup(
    version=VERSION,
    ext_modules=[
        Extension(
            "sqlite_fin.fin",
            sources=sorted(glob.glob("ext/*.c") + glob.glob("ext/*/*.c")),
            depends=sorted(glob.glob("ext/*.h") + glob.glob("ext/*/*.h")) + ["VERSION"],
            define_macros=[("_DEFAULT_SOURCE", None), ("FIN_VERSION", '"v%s"' % VERSION)],
            # only the entry points are exported (FIN_EXPORT in ext/fin.c)
            extra_compile_args=["-std=c11"] + ([] if sys.platform == "win32" else ["-fvisibility=hidden"]),
            libraries=["m"],
        )
    ],
    cmdclass=cmdclass,
)
