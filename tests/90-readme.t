#!/usr/bin/env python3
"""Runs every example in README.md and in the reference pages docs/*.md and
compares it with the output printed there, so the docs cannot drift; and
checks that the functions and tables SQLite lists are exactly the ones the
pages document (the inventory).

An example is a ```sql block followed by a ```text block: the text is what
the sqlite3 shell prints, exactly; a line that starts with "❌ " expects the
shell to stop with an error containing the rest of it, after printing the
lines above it (none, usually). The ```sql block that starts with
"-- setup" runs before every example of its page, on an empty database. A
page whose setup block is exactly "-- setup: demo database" runs each
example on a fresh copy of the database `make demo` builds (SMALL and
LARGE loaded by sql/load_csv.sh from samples/data), made once here. A page
without a setup block runs its examples on an empty database. With --fill,
empty text blocks are filled from the real output instead (for writing
docs)."""
import atexit, glob, os, re, shlex, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LIB = os.environ.get("FIN_LIB", os.path.join(ROOT, "dist", "fin"))
SQLITE3 = shlex.split(os.environ.get("SQLITE3", "sqlite3"))
PAGES = [os.path.join(ROOT, "README.md")] + sorted(glob.glob(os.path.join(ROOT, "docs", "*.md")))
FILL = "--fill" in sys.argv


def parse(path):
    text = open(path, encoding="utf-8").read()
    blocks = [(m.start(), m.end(), m.group(1), m.group(2))
              for m in re.finditer(r"```(\w*)\n(.*?)```", text, re.S)]
    setup = next((b[3] for b in blocks if b[2] == "sql" and b[3].startswith("-- setup")), None)
    examples = [(blocks[i], blocks[i + 1]) for i in range(len(blocks) - 1)
                if blocks[i][2] == "sql" and blocks[i + 1][2] == "text"
                and text[blocks[i][1]:blocks[i + 1][0]].strip() == ""]
    return text, setup, examples


pages = {p: parse(p) for p in PAGES}
DEMO_SETUP = "-- setup: demo database"
TMP = tempfile.mkdtemp()
atexit.register(shutil.rmtree, TMP, True)
demo_db = None


def demo():
    """The database make demo builds, made once: sql/load_csv.sh with the
    sample files, as the Makefile's demo target runs it."""
    global demo_db
    if demo_db is None:
        demo_db = os.path.join(TMP, "demo.db")
        for sym in ("SMALL", "LARGE"):
            subprocess.run([os.path.join(ROOT, "sql", "load_csv.sh"), demo_db, sym,
                            os.path.join(ROOT, "samples", "data", sym + ".csv")],
                           check=True, capture_output=True)
    return demo_db


def run(sql, setup):
    db = ":memory:"
    if setup is not None and setup.strip() == DEMO_SETUP:
        db = os.path.join(TMP, "example.db")
        shutil.copyfile(demo(), db)
    p = subprocess.run(SQLITE3 + ["-batch", "-bail", db],
                       input=".load %s\n%s\n%s\n" % (LIB, setup or "", sql),
                       capture_output=True, text=True, cwd=ROOT)  # .read sql/schema.sql
    return p.returncode, p.stdout, p.stderr


def shown(rc, o, e):
    """The text block for an outcome: the output, and the error after it."""
    return o if rc == 0 else o + "❌ " + re.sub(r"^.*?error near line \d+: ", "", e.strip()) + "\n"


def expected(want):
    """(output, error or None) of a text block: an error is its line that
    starts with "❌ "; the lines above it are printed before it."""
    m = re.search(r"^❌ (.*)$", want, re.M)
    return (want[:m.start()], m.group(1).strip()) if m else (want, None)


def documented():
    names = set()
    for text, _, _ in pages.values():
        section = None
        for line in text.splitlines():
            if line.startswith("## "):
                section = line
            elif line.startswith("### `fin_") and section != "## The question library":
                names.update(re.findall(r"`?(fin_[a-z_]+)\(", line))
    return names


if FILL:
    for path, (text, setup, examples) in pages.items():
        out, pos = [], 0
        for sql, res in examples:
            out.append(text[pos:res[1] - len("```")])
            if res[3].strip() == "":
                rc, o, e = run(sql[3], setup)
                out[-1] = text[pos:res[0]] + "```text\n" + shown(rc, o, e)
            pos = res[1] - len("```")
        out.append(text[pos:])
        open(path, "w", encoding="utf-8").write("".join(out))
    sys.exit(0)

# Inline examples: a complete statement in backticks in the prose (not a
# fragment with "...", a placeholder ? or a path to fill in) must run too.
inline = []
for path, (text, setup, _) in pages.items():
    prose = re.sub(r"```.*?```", "", text, flags=re.S).replace("\n", " ")
    inline += [(path, setup, m.group(1)) for m in re.finditer(r"`((?:SELECT|WITH) [^`]*)`", prose)
               if not re.search(r"\.\.\.|\?|/path|^SELECT$|^WITH$", m.group(1))
               and "load_extension" not in m.group(1)]
examples = [(path, setup, sql, res) for path, (_, setup, ex) in pages.items() for sql, res in ex]

print("1..%d" % (len(examples) + len(inline) + 2))
n = failed = 0
for path, setup, sql, res in examples:
    n += 1
    rc, o, e = run(sql[3], setup)
    want, error = expected(res[3])
    first = sql[3].strip().splitlines()[-1][:60]
    if error is not None:
        good = rc != 0 and o == want and error in e
    else:
        good = rc == 0 and e == "" and o == want
    print("%s %d - %s example: %s" % ("ok" if good else "not ok", n, os.path.relpath(path, ROOT), first))
    if not good:
        failed += 1
        for line in ("query: " + sql[3] + "\ngot:\n" + o + "\nstderr: " + e + "\nexpected:\n" + want).splitlines():
            print("# " + line, file=sys.stderr)

for path, setup, q in inline:
    n += 1
    rc, o, e = run(q + ";", setup)
    good = rc == 0 and e == ""
    print("%s %d - %s inline example: %s" % ("ok" if good else "not ok", n, os.path.relpath(path, ROOT), q[:60]))
    if not good:
        failed += 1
        print("# " + e.strip(), file=sys.stderr)

rc, o, e = run("SELECT DISTINCT name FROM pragma_function_list WHERE name LIKE 'fin\\_%' ESCAPE '\\' "
               "UNION SELECT name FROM pragma_module_list WHERE name LIKE 'fin\\_%' ESCAPE '\\' ORDER BY 1;", None)
registered, docs = set(o.split()), documented()
for label, good, extra in (
        ("registered functions and tables equal the documented list (%d)" % len(docs),
         registered == docs and rc == 0,
         "registered, not documented: %s; documented, not registered: %s" % (
             sorted(registered - docs), sorted(docs - registered))),
        ("every example was found and run", len(examples) >= 25, "found %d" % len(examples))):
    n += 1
    print("%s %d - %s" % ("ok" if good else "not ok", n, label))
    if not good:
        failed += 1
        print("# " + extra, file=sys.stderr)
sys.exit(1 if failed else 0)
