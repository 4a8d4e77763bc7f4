#!/bin/sh
# C unit tests of the pure kernels (tests/unit/kernels.c).
exec "${FIN_UNIT_DIR:-$(dirname "$0")/../build/release/tests}/kernels"
