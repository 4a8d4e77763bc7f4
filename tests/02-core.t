#!/bin/sh
# The extension linked into a program (SQLITE_CORE), registered with
# sqlite3_auto_extension, under an out-of-memory sweep (tests/unit/core.c).
exec "${FIN_UNIT_DIR:-$(dirname "$0")/../build/release/tests}/core"
