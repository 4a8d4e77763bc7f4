"""What the Python tests on the real closes share (49, 59 and more): the
paths they take from the environment (FIN_LIB, SQLITE3, FIN_DATA_DIR), the
TAP skip when pandas or a data file is missing, a database loaded by the
project's loader, sql(), which answers a query through the sqlite3 shell
(so a sanitized build runs with its runtimes preloaded) as a DataFrame,
shell() for a query's raw answer or error, and ok(), TAP's test line."""
import io, os, shlex, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIB = os.environ.get("FIN_LIB", os.path.join(ROOT, "dist", "fin"))
SQLITE3 = shlex.split(os.environ.get("SQLITE3", "sqlite3"))
DATA = os.environ.get("FIN_DATA_DIR", os.path.join(ROOT, "..", "shared", "data"))


def setup(symbols):
    """Skips the test (TAP) unless pandas and every symbol's file are there;
    then loads them into a new database and returns sql(query)."""
    try:
        import pandas as pd
    except ImportError:
        print("1..0 # SKIP pandas is not installed")
        sys.exit(0)
    if not all(os.path.exists(os.path.join(DATA, s + ".csv")) for s in symbols):
        print("1..0 # SKIP no real data in %s" % DATA)
        sys.exit(0)
    db = os.path.join(tempfile.mkdtemp(), "real.db")
    for s in symbols:
        subprocess.run([os.path.join(ROOT, "sql", "load_csv.sh"), db, s, os.path.join(DATA, s + ".csv")],
                       check=True, capture_output=True)

    def sql(q):
        p = subprocess.run(SQLITE3 + ["-batch", "-bail", "-csv", "-header", db],
                           input=".load %s\n%s\n" % (LIB, q), capture_output=True, text=True)
        if p.returncode or p.stderr:
            print("Bail out! %s" % p.stderr.strip())
            sys.exit(1)
        # round_trip: every digit the shell printed, read back exactly
        return pd.read_csv(io.StringIO(p.stdout), float_precision="round_trip")
    sql.db = db  # for a test that runs its own statements (errors, views)
    return sql


def missing(symbols):
    """Why a test on these symbols' closes cannot run (numpy, pandas or a
    data file is missing), or None: for the tests that run hand-worked
    cases first and skip only their real-data part."""
    try:
        import numpy, pandas  # noqa: F401
    except ImportError:
        return "numpy or pandas is not installed (apt-get install python3-pandas)"
    gone = [s for s in symbols if not os.path.exists(os.path.join(DATA, s + ".csv"))]
    return "no real data (%s) in %s" % (", ".join(gone), DATA) if gone else None


T = [0]  # tests run so far: print("1..%d" % T[0]) at the end


def ok(good, name, *diag):
    """One TAP test line; the diagnostics go to stderr when it fails."""
    T[0] += 1
    print("%s %d - %s" % ("ok" if good else "not ok", T[0], name))
    if not good:
        for d in diag:
            print("# %s" % str(d).replace("\n", "\n# ")[:3000], file=sys.stderr)


def shell(q, db):
    """(returncode, stdout, stderr) of q run by the sqlite3 shell on db with
    the extension loaded."""
    p = subprocess.run(SQLITE3 + ["-batch", "-bail", db], input=".load %s\n%s\n" % (LIB, q),
                       capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr
