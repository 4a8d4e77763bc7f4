#!/usr/bin/env python3
"""The README's shell snippets, run in order on a fresh copy of the
repository, as a new user would after the quick start: every ```sh block,
its `$ command` lines (or bare lines) run by bash in the copy, its
`sqlite> ` lines fed to the sqlite3 command before them. Each must exit 0
with nothing on stderr, and a sqlite3 session must print something. The
quick start's `make test` is this suite itself, so the copy runs `make
demo` (which builds the extension) and leaves `make test` out. The copy
holds the files git tracks or would track (the working tree, not the
build), so it is what a clone gets; skipped without git."""
import os, re, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
text = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
blocks = [m.group(1) for m in re.finditer(r"```sh\n(.*?)```", text, re.S)]
if shutil.which("git") is None or not os.path.exists(os.path.join(ROOT, ".git")):  # a file in a worktree
    print("1..0 # SKIP not a git checkout: no fresh copy to make")
    sys.exit(0)

# Commands: ("sh", line) or ("sqlite3", command, [input lines]).
steps = []
for b in blocks:
    for line in b.splitlines():
        if line.startswith("sqlite> "):
            if not steps or steps[-1][0] != "sqlite3":
                print("Bail out! a sqlite> line with no sqlite3 command before it: " + line)
                sys.exit(1)
            steps[-1][2].append(line[len("sqlite> "):])
            continue
        cmd = line[2:] if line.startswith("$ ") else line
        cmd = cmd.split("  #")[0].strip()
        if not cmd or cmd.startswith("make test"):
            continue
        steps.append(("sqlite3", cmd, []) if cmd.startswith("sqlite3 ") else ("sh", cmd, None))

print("1..%d" % (len(steps) + 1))
tmp = tempfile.mkdtemp()
copy = os.path.join(tmp, "sqlite-fin")
files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                       cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
for f in filter(None, files):
    f = f.decode()
    src = os.path.join(ROOT, f)
    if not os.path.exists(src):
        continue  # deleted in the working tree
    os.makedirs(os.path.dirname(os.path.join(copy, f)), exist_ok=True)
    shutil.copy2(src, os.path.join(copy, f))
env = dict(os.environ)
env.pop("MAKEFLAGS", None)
env.pop("MAKELEVEL", None)
n = failed = 0
for kind, cmd, lines in steps:
    n += 1
    if kind == "sqlite3":
        p = subprocess.run(["bash", "-c", cmd.replace("sqlite3 ", "sqlite3 -bail ", 1)], cwd=copy,
                           input="\n".join(lines) + "\n", capture_output=True, text=True, env=env)
        good = p.returncode == 0 and p.stderr == "" and p.stdout.strip() != ""
        what = cmd + " with " + "; ".join(lines)
    else:
        p = subprocess.run(["bash", "-c", cmd], cwd=copy, capture_output=True, text=True, env=env)
        good = p.returncode == 0 and (p.stderr == "" or cmd.startswith("make"))
        what = cmd
    print("%s %d - README shell, in order: %s" % ("ok" if good else "not ok", n, what[:110]))
    if not good:
        failed += 1
        for l in (p.stdout[-1500:] + "\n" + p.stderr[-1500:]).splitlines():
            print("# " + l, file=sys.stderr)
n += 1
good = len(steps) >= 4 and steps[0][1].startswith("make demo")
print("%s %d - the snippets start with the quick start's make demo (%d steps)" % ("ok" if good else "not ok", n, len(steps)))
failed += not good
shutil.rmtree(tmp, ignore_errors=True)
sys.exit(1 if failed else 0)
