"""Execute the book's stale notebooks in place; the one executor of `make execute` and `make book`.

    python -m highlands_build.execute [--jobs N] [--force] [notebook.ipynb ...]

Without names it takes every notebook listed in _toc.yml. A notebook is *stale* when its stored
outputs may no longer be what today's code and data produce. Like a compiler's ``-MD`` dependency
files, each run leaves a stamp beside the build, ``_build/stamps/<path with / as __>.json``, with
the sha256 of:

- the notebook's code cells and kernelspec (not its Markdown: a prose edit executes nothing),
- the outputs the run stored (so outputs restored from an older version are seen),
- every file the run read (tables, datapackage.json, the article: ``highlands.provenance`` logs
  them while the notebook runs),
- every ``.py`` file of ``src/highlands/``,
- every file the run wrote (exported figures and their data).

The notebook is stale when it has no stamp, when any of these hashes differs, or when a file it
wrote is missing. Stale notebooks run with nbclient (kernel ``seven-highlands``, in the notebook's
folder, no timing metadata), several at once (``--jobs``, default ``min(2, cores)``). A notebook
is written back only if its content changed, so an unchanged one keeps its modification time and
Sphinx does not re-read its page. A cell that raises, or any output on stderr, prints the notebook,
the cell and the traceback, leaves the notebook and its stamp untouched (the next run fails again
until it is fixed) and makes the command exit 1. ``--force`` executes every notebook named.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

KERNEL = "seven-highlands"
STARTS = 3  # attempts to start a kernel (a start can lose its TCP port to another kernel's start)
LOG_VARIABLE = "HIGHLANDS_DEPENDENCY_LOG"  # highlands.provenance.LOG_VARIABLE (not imported: see below)
# highlands_build does not import highlands here: paths are resolved from the book's root, which
# is the folder the command runs in (the Makefile's), so a copy of the book builds by itself.


def book_root() -> Path:
    """The folder the book is built from (the current directory, where _toc.yml is)."""
    return Path.cwd().resolve()


def stamp_path(root: Path, notebook: str) -> Path:
    """Where a notebook's stamp lives: _build/stamps/<path with slashes as __>.json."""
    return root / "_build" / "stamps" / (notebook.replace("/", "__") + ".json")


def sha256(data: bytes) -> str:
    """The SHA-256 hex digest of some bytes."""
    return hashlib.sha256(data).hexdigest()


def file_hash(path: Path) -> str | None:
    """A file's SHA-256 hex digest, or None when the file does not exist."""
    try:
        return sha256(path.read_bytes())
    except FileNotFoundError:
        return None


def code_hash(notebook: dict) -> str:
    """The code cells and the kernelspec: what execution depends on inside the notebook."""
    code = ["".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            for cell in notebook["cells"] if cell["cell_type"] == "code"]
    kernelspec = notebook.get("metadata", {}).get("kernelspec", {})
    return sha256(json.dumps([code, kernelspec], sort_keys=True, ensure_ascii=False).encode("utf-8"))


def outputs_hash(notebook: dict) -> str:
    """The stored outputs, so that outputs restored from elsewhere (git checkout) count as a change."""
    outputs = [cell.get("outputs", []) for cell in notebook["cells"] if cell["cell_type"] == "code"]
    return sha256(json.dumps(outputs, sort_keys=True, ensure_ascii=False).encode("utf-8"))


def package_hashes(root: Path) -> dict[str, str]:
    """Every .py file of the shared package src/highlands/."""
    return {path.relative_to(root).as_posix(): sha256(path.read_bytes())
            for path in sorted((root / "src" / "highlands").rglob("*.py"))
            if "__pycache__" not in path.parts}


def toc_notebooks(root: Path) -> list[str]:
    """Every .ipynb listed in _toc.yml, in the book's order."""
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for key in ("root", "file"):
                if isinstance(node.get(key), str):
                    name = node[key]
                    candidate = name if name.endswith(".ipynb") else name + ".ipynb"
                    if (root / candidate).is_file() and candidate not in found:
                        found.append(candidate)
            for value in node.values():
                if isinstance(value, (list, dict)):
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc)
    return found


def stale_reason(root: Path, notebook: str, packages: dict[str, str]) -> str | None:
    """Why the notebook must run again, or None when its stored outputs are fresh."""
    stamp_file = stamp_path(root, notebook)
    if not stamp_file.exists():
        return "never executed by this build"
    try:
        stamp = json.loads(stamp_file.read_text(encoding="utf-8"))
        document = json.loads((root / notebook).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return f"unreadable stamp or notebook ({error.__class__.__name__})"
    if stamp.get("code") != code_hash(document):
        return "its code changed"
    if stamp.get("outputs") != outputs_hash(document):
        return "its stored outputs differ from the last run's"
    if stamp.get("package") != packages:
        changed = sorted(set(packages.items()) ^ set(stamp.get("package", {}).items()))
        return f"{changed[0][0]} changed" if changed else "src/highlands changed"
    for name, digest in stamp.get("read", {}).items():
        if file_hash(root / name) != digest:
            return f"{name} changed"
    for name, digest in stamp.get("wrote", {}).items():
        current = file_hash(root / name)
        if current is None:
            return f"{name} is missing"
        if current != digest:
            return f"{name} was overwritten"
    return None


def _read_log(log: Path) -> tuple[list[str], list[str]]:
    read, wrote = [], []
    if log.exists():
        for line in log.read_text(encoding="utf-8").splitlines():
            kind, _, name = line.partition(" ")
            target = read if kind == "read" else wrote if kind == "wrote" else None
            if target is not None and name and name not in target:
                target.append(name)
    return sorted(read), sorted(wrote)


def _stderr_outputs(notebook) -> list[tuple[int, str]]:
    found = []
    for index, cell in enumerate(notebook.cells):
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                found.append((index, output.get("text", "")))
    return found


def run_notebook(root_name: str, notebook: str, timeout: int) -> dict:
    """Execute one notebook; write it back if changed and its stamp. Runs in a worker process."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    root = Path(root_name)
    path = root / notebook
    start = time.perf_counter()
    before = path.read_text(encoding="utf-8")
    document = nbformat.reads(before, as_version=4)
    stamps = stamp_path(root, notebook).parent
    stamps.mkdir(parents=True, exist_ok=True)
    handle, log_name = tempfile.mkstemp(prefix=".log-", suffix=".txt", dir=stamps)
    os.close(handle)
    log = Path(log_name)
    os.environ[LOG_VARIABLE] = str(log)
    try:
        try:
            for attempt in range(1, STARTS + 1):
                document = nbformat.reads(before, as_version=4)
                client = NotebookClient(document, timeout=timeout, kernel_name=KERNEL, record_timing=False,
                                        allow_errors=False, resources={"metadata": {"path": str(path.parent)}})
                try:
                    client.execute()
                    break
                except RuntimeError as error:
                    # The kernel died while starting: with TCP ports, another kernel starting at the
                    # same moment (a parallel job, another build) can take the port it was given.
                    if "before replying to kernel_info" not in str(error) or attempt == STARTS:
                        raise
                    log.write_text("", encoding="utf-8")
        except CellExecutionError as error:
            return {"notebook": notebook, "ok": False, "seconds": time.perf_counter() - start,
                    "message": f"a cell raised:\n{error}"}
        except Exception as error:  # kernel died, timeout, missing kernel
            return {"notebook": notebook, "ok": False, "seconds": time.perf_counter() - start,
                    "message": f"{error.__class__.__name__}: {error}"}
        stderr = _stderr_outputs(document)
        if stderr:
            shown = "\n".join(f"cell {index} wrote to stderr:\n{text}" for index, text in stderr)
            return {"notebook": notebook, "ok": False, "seconds": time.perf_counter() - start,
                    "message": shown}
        read, wrote = _read_log(log)
    finally:
        os.environ.pop(LOG_VARIABLE, None)
        log.unlink(missing_ok=True)
    after = nbformat.writes(document)
    if not after.endswith("\n"):
        after += "\n"
    changed = after != before
    if changed:  # an unchanged notebook keeps its mtime, so Sphinx does not re-read its page
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(after, encoding="utf-8")
        os.replace(temporary, path)
    written = json.loads(after)
    stamp = {
        "notebook": notebook,
        "code": code_hash(written),
        "outputs": outputs_hash(written),
        "package": package_hashes(root),
        "read": {name: file_hash(root / name) for name in read},
        "wrote": {name: file_hash(root / name) for name in wrote},
    }
    target = stamp_path(root, notebook)
    target.with_suffix(".tmp").write_text(json.dumps(stamp, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(target.with_suffix(".tmp"), target)
    return {"notebook": notebook, "ok": True, "seconds": time.perf_counter() - start, "changed": changed,
            "read": read, "wrote": wrote}


def validate_data(root: Path) -> bool:
    """Check the whole data package once, before any notebook runs; False (and the errors on
    stderr, with file, row and column) when a row breaks a rule.

    The notebooks do not log the package-wide check's reads as their dependencies (see
    ``highlands.provenance``), so it runs here: an edit to a table no notebook loads still stops
    the build when it breaks a rule. Runs in a subprocess with the book's own ``highlands``.
    """
    import subprocess

    result = subprocess.run([sys.executable, "-c", "import highlands.data as d; d.validate_package()"],
                            cwd=root, capture_output=True, text=True)
    if result.returncode != 0:
        print(f"FAILED: the data package does not validate\n{result.stderr[-20000:]}", file=sys.stderr, flush=True)
        return False
    return True


def _timeout(root: Path) -> int:
    try:
        import yaml

        config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
        return int(config.get("execute", {}).get("timeout", 300))
    except (OSError, ValueError, AttributeError, TypeError):
        return 300


def main(argv: list[str] | None = None) -> int:
    """Command line: execute the stale (or, with --force, all) notebooks; returns the exit status (non-zero when one fails)."""
    parser = argparse.ArgumentParser(prog="python -m highlands_build.execute",
                                     description="Execute the book's stale notebooks in place.")
    parser.add_argument("notebooks", nargs="*", help="notebooks to consider (default: every .ipynb in _toc.yml)")
    parser.add_argument("--jobs", "-j", type=int, default=min(2, os.cpu_count() or 1),
                        help="notebooks run side by side (default: min(2, cores))")
    parser.add_argument("--force", action="store_true", help="execute every notebook, stale or not")
    args = parser.parse_args(argv)
    root = book_root()
    names = [Path(n).resolve().relative_to(root).as_posix() for n in args.notebooks] or toc_notebooks(root)
    if not validate_data(root):
        return 1
    packages = package_hashes(root)
    stale: list[str] = []
    for name in names:
        reason = "forced" if args.force else stale_reason(root, name, packages)
        if reason:
            print(f"stale: {name} ({reason})", flush=True)
            stale.append(name)
    if not stale:
        print(f"execute: all {len(names)} notebooks are up to date", flush=True)
        return 0
    timeout = _timeout(root)
    start = time.perf_counter()
    results: list[dict] = []
    jobs = max(1, min(args.jobs, len(stale)))
    if jobs == 1:
        for name in stale:
            results.append(run_notebook(str(root), name, timeout))
            _report(results[-1])
    else:
        # Workers are spawned (no zmq state shared with the parent) and import the function by
        # its module's name, not as __main__'s.
        from highlands_build.execute import run_notebook as worker

        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            futures = [pool.submit(worker, str(root), name, timeout) for name in stale]
            for future in as_completed(futures):
                results.append(future.result())
                _report(results[-1])
    failed = [r["notebook"] for r in results if not r["ok"]]
    print(f"execute: ran {len(results)} of {len(names)} notebooks in {time.perf_counter() - start:.1f} s "
          f"with {jobs} job(s)" + (f"; FAILED: {', '.join(failed)}" if failed else ""), flush=True)
    return 1 if failed else 0


def _report(result: dict) -> None:
    if result["ok"]:
        state = "outputs changed" if result["changed"] else "outputs unchanged"
        print(f"executed: {result['notebook']} in {result['seconds']:.1f} s ({state})", flush=True)
    else:
        print(f"\nFAILED: {result['notebook']} (notebook and stamp left as they were)\n{result['message']}\n",
              file=sys.stderr, flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
