"""``python -m tests.proofs.mutation MODULE...``: a mutation run over the given modules, then its score.

The run happens in a scratch copy of the project (``build/mutation``) so that mutmut's
configuration and its ``mutants/`` tree never touch the working tree. Each mutant runs only
the tests of ``FAST_TESTS`` that reached the mutated function when the suite was traced once;
the slow scenario and page tests are left out so that a whole run takes minutes.

Prints, per module, how many mutants were killed, survived, timed out or were not reached,
then names every survivor (``mutmut show NAME`` in ``build/mutation`` shows its diff).
"""

import collections
import os
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORK = os.path.join(ROOT, "build", "mutation")
COPIED = ["workflows", "webapp", "tests", "bpmn", "migrations", "reference", "pyproject.toml", "babel.cfg"]
# The tests that guard the mutated modules and run in seconds: the pure unit tests of each module,
# and for the trail and the stored documents the few tests that need a database. Every mutant
# runs the subset of these that reached its function. The scenario, page and rule tests are left
# out: a mutant of the eligibility queries reached by all of them costs minutes, and the run hours.
FAST_TESTS = [
    "tests/test_voting.py", "tests/test_routing.py", "tests/test_eligibility.py", "tests/test_documents.py",
    "tests/test_audit_chain.py", "tests/test_audit_search.py", "tests/test_trail.py",
    "tests/test_document_integrity.py",
]
# mutmut's own status words, grouped as the score reports them.
GROUPS = {"killed": "killed", "survived": "survived", "timeout": "timeout", "no tests": "not reached",
          "suspicious": "timeout", "segfault": "killed", "caught by type check": "killed",
          "skipped": "skipped", "not checked": "not run"}


def _module_path(module: str) -> str:
    path = module.rstrip("/")
    return path + "/*" if os.path.isdir(os.path.join(ROOT, path)) else path


def prepare(modules: list[str]) -> None:
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "browser", "uploads", "*.sqlite")
    for name in COPIED:
        source = os.path.join(ROOT, name)
        if os.path.isdir(source):
            shutil.copytree(source, os.path.join(WORK, name), ignore=skip)
        elif os.path.exists(source):
            shutil.copy2(source, os.path.join(WORK, name))
    tests = [t for t in FAST_TESTS if os.path.exists(os.path.join(ROOT, t))]
    lines = [
        "[mutmut]",
        "source_paths=workflows",
        "only_mutate=" + "\n    ".join(_module_path(m) for m in modules),
        "also_copy=webapp\n    bpmn\n    migrations\n    reference\n    babel.cfg",
        "pytest_add_cli_args=-p\n    no:cacheprovider\n    -o\n    addopts=\n    -q",
        "pytest_add_cli_args_test_selection=" + "\n    ".join(tests),
        "timeout_multiplier=5.0",
        "timeout_constant=10.0",
        "",
    ]
    with open(os.path.join(WORK, "setup.cfg"), "w", encoding="utf-8") as config:
        config.write("\n".join(lines))


def mutmut(*args: str, capture: bool = False) -> str:
    """Run mutmut in the scratch copy; its progress goes to build/mutation/run.log."""
    binary = os.path.join(os.path.dirname(sys.executable), "mutmut")
    env = dict(os.environ)
    env.pop("TEST_DATABASE_URL", None)  # mutants run on SQLite, one file per test
    with open(os.path.join(WORK, "run.log"), "a", encoding="utf-8") as log:
        done = subprocess.run([binary, *args], cwd=WORK, env=env, check=False, text=True,
                              stdout=subprocess.PIPE if capture else log, stderr=log)
    return done.stdout or ""


def score(modules: list[str]) -> int:
    """Print the table of results; the exit status is 1 when a mutant survived or timed out."""
    table: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    survivors = []
    for line in mutmut("results", "--all", "true", capture=True).splitlines():
        name, _, status = line.strip().rpartition(": ")
        if not name or "__mutmut_" not in name:
            continue
        module = _owner(name, modules)
        group = GROUPS.get(status, status)
        table[module][group] += 1
        if group in ("survived", "timeout"):
            survivors.append(f"{status}: {name}")
    columns = ["killed", "survived", "timeout", "not reached", "not run"]
    print(f"{'module':<28}" + "".join(f"{c:>13}" for c in columns) + f"{'score':>9}")
    for module in sorted(table):
        row = table[module]
        reached = sum(row[c] for c in columns[:3])
        rate = f"{100 * row['killed'] / reached:.1f} %" if reached else "-"
        print(f"{module:<28}" + "".join(f"{row[c]:>13}" for c in columns) + f"{rate:>9}")
    for survivor in survivors:
        print(survivor)
    return 1 if survivors else 0


def _owner(mutant: str, modules: list[str]) -> str:
    dotted = mutant.split(".x_", 1)[0].split(".xǁ", 1)[0]
    for module in modules:
        prefix = module.rstrip("/").removesuffix(".py").replace("/", ".")
        if dotted == prefix or dotted.startswith(prefix + "."):
            return prefix
    return dotted


def main(argv: list[str]) -> int:
    modules = argv or ["workflows/services/voting.py"]
    started = time.monotonic()
    if "--score-only" in modules:
        modules.remove("--score-only")
    else:
        prepare(modules)
        print(f"mutating {' '.join(modules)} in {os.path.relpath(WORK, ROOT)} (progress in run.log)", flush=True)
        mutmut("run", "--max-children", str(max(1, os.cpu_count() or 1)))
    status = score(modules)
    print(f"{time.monotonic() - started:.0f} s")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
