"""`make bench`: how long the book takes to execute, build, rebuild and test, and how heavy it is.

Works on a clean clone of the repository's last commit (in a temporary folder), sharing this
checkout's installed .venv, so it measures the committed book and not local edits. Measures: the
bare serial execution of every notebook (one at a time, no Sphinx); a cold `make book`; a rebuild
with nothing changed; rebuilds after editing one CSV cell of a table few chapters read, after
editing src/highlands/style.py and after editing one chapter's Markdown (each says which notebooks
re-executed and how many pages Sphinx re-read); `make test`. Prints a table, then one JSON object
on the last line. Exits 1 when a target is missed (issues 12 and 17): no-change rebuild <= 10% of
the cold build; cold build <= 1.2 x bare serial execution; the data edit re-executes exactly the
notebooks that read the table; every notebook under 10 s; `make test` under 5 minutes; no page
heavier than 2 MB with its images.
"""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bs4 import BeautifulSoup

from highlands import paths


class Run:
    """One command's wall time and what the build did: notebooks executed, pages re-read."""

    def __init__(self, seconds: float, output: str):
        self.seconds = seconds
        output = re.sub(r"\x1b\[[0-9;]*m", "", output)  # Sphinx's colours
        self.executed = sorted(re.findall(r"^executed: (\S+)", output, re.MULTILINE))
        self.pages_read = len(set(re.findall(r"^reading sources\.\.\. \[\s*\d+%\] (\S+)", output, re.MULTILINE)))


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> Run:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.stdout.write(result.stdout[-4000:])
        raise SystemExit(f"bench: {' '.join(command)} failed in {cwd}")
    run = Run(elapsed, result.stdout)
    # Each measure as soon as it is taken, so a run stopped half-way still reports something.
    print(f"bench: {' '.join(command[-2:])}: {elapsed:.1f} s, {len(run.executed)} executed, "
          f"{run.pages_read} pages read", flush=True)
    return run


def _execute_each(clone: Path, env: dict[str, str]) -> dict[str, float]:
    """Bare serial execution: each notebook through nbclient alone, one after another, no Sphinx."""
    from highlands_build.execute import toc_notebooks

    times = {}
    for notebook in toc_notebooks(clone):
        times[notebook] = _run([sys.executable, "-m", "highlands_build.execute", "--force", "--jobs", "1",
                                notebook], clone, env).seconds
    return times


def _readers(clone: Path) -> dict[str, list[str]]:
    """Which notebooks read each data file, from the executor's stamps."""
    readers: dict[str, list[str]] = {}
    for stamp in sorted((clone / "_build" / "stamps").glob("*.json")):
        record = json.loads(stamp.read_text(encoding="utf-8"))
        for name in record["read"]:
            readers.setdefault(name, []).append(record["notebook"])
    return readers


def _edit_note(clone: Path, readers: dict[str, list[str]]) -> tuple[str, list[str]]:
    """Change the free-text cell (`note`, else `reason`) of the first row of the table that the
    fewest notebooks read."""
    candidates = []
    for name, notebooks in readers.items():
        path = clone / name
        header = path.read_text(encoding="utf-8").splitlines()[0].split(",") if path.suffix == ".csv" else []
        text_columns = [c for c in ("note", "reason") if c in header]
        if text_columns:
            candidates.append((len(notebooks), name, text_columns[0]))
    _, name, text_column = min(candidates)
    path = clone / name
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index(text_column)
    rows[1][column] = (rows[1][column] + " (bench: a changed note)").strip()
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return name, sorted(readers[name])


def _make_pdf(clone: Path, env: dict[str, str]) -> float:
    """Seconds of `make pdf` on the clone once its book is built (so: printing and joining the PDF)."""
    start = time.perf_counter()
    shutil.rmtree(clone / "_build" / "pdf", ignore_errors=True)  # the tests printed one: print it anew
    subprocess.run(["make", "pdf"], cwd=clone, env=env, check=True, stdout=subprocess.DEVNULL)
    return round(time.perf_counter() - start, 1)


def _touch_markdown(notebook: Path) -> None:
    """Change the text of one markdown cell (not code), as an author fixing a typo would."""
    document = json.loads(notebook.read_text(encoding="utf-8"))
    cell = next(c for c in reversed(document["cells"]) if c["cell_type"] == "markdown")
    cell["source"] = "".join(cell["source"]) + "\n\n<!-- bench: a changed sentence -->\n"
    notebook.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _page_weights(html: Path) -> dict[str, tuple[int, int]]:
    """Bytes of each page with its images, and with everything it loads (images, scripts, styles).

    The target of issue 12 is on a page with its images; the theme's scripts and styles (its
    icon font script alone is 1.5 MB) are shared by every page and cached after the first.
    """
    weights = {}
    for page in html.rglob("*.html"):
        if page.relative_to(html).parts[0] == "_static":
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        loaded = [("img", img.get("src")) for img in soup.find_all("img")]
        loaded += [("script", script.get("src")) for script in soup.find_all("script")]
        # Only links the browser loads (not rel=prev/next/search, which are navigation).
        loaded += [("link", link.get("href")) for link in soup.find_all("link")
                   if set(link.get("rel") or []) & {"stylesheet", "preload", "icon", "modulepreload"}]
        with_images = with_all = page.stat().st_size
        seen = set()
        for tag, ref in loaded:
            ref = (ref or "").split("?")[0].split("#")[0]
            if not ref or "://" in ref or ref.startswith("data:"):
                continue
            target = (page.parent / ref).resolve()
            if target.is_file() and target not in seen:
                seen.add(target)
                with_all += target.stat().st_size
                with_images += target.stat().st_size if tag == "img" else 0
        weights[page.relative_to(html).as_posix()] = (with_images, with_all)
    return weights


def main() -> int:
    """Run the benchmark on a clean clone of the last commit; print a table and a JSON line. Returns 0, or 1 when a target is missed."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        clone = Path(tmp) / "book"
        subprocess.run(["git", "clone", "--quiet", str(paths.ROOT), str(clone)], check=True)
        (clone / ".venv").symlink_to(paths.ROOT / ".venv")
        (paths.ROOT / ".venv" / ".installed").touch()  # the shared venv is set up: make must not reinstall
        # The kernel and the build import `highlands` from the clone, not from this checkout. The
        # build's clock (SOURCE_DATE_EPOCH) is the clone's last commit, set by the Makefile.
        env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
        env.update({"PYTHONPATH": str(clone / "src"), "PYTHONHASHSEED": "0"})

        per_notebook = _execute_each(clone, env)
        bare = sum(per_notebook.values())
        subprocess.run(["git", "checkout", "--quiet", "--", "."], cwd=clone, check=True)
        shutil.rmtree(clone / "_build")  # no stamps, no exports: a cold build
        cold = _run(["make", "book"], clone, env)
        noop = _run(["make", "book"], clone, env)

        table, readers = _edit_note(clone, _readers(clone))
        data_edit = _run(["make", "book"], clone, env)

        style = clone / "src" / "highlands" / "style.py"
        style.write_text(style.read_text(encoding="utf-8") + "\n# bench: an edit of the shared code\n",
                         encoding="utf-8")
        code_edit = _run(["make", "book"], clone, env)

        _touch_markdown(clone / "notebooks" / "01-open-economy.ipynb")
        markdown_edit = _run(["make", "book"], clone, env)

        subprocess.run(["git", "checkout", "--quiet", "--", "."], cwd=clone, check=True)
        _run(["make", "book"], clone, env)  # back to the committed book before the tests
        test = _run(["make", "test"], clone, env)
        make_pdf_s = _make_pdf(clone, env)

        html = clone / "_build" / "html"
        html_bytes = sum(p.stat().st_size for p in html.rglob("*") if p.is_file())
        weights = _page_weights(html)
        largest_page, (largest, _) = max(weights.items(), key=lambda item: item[1][0])
        heaviest_page, (_, heaviest) = max(weights.items(), key=lambda item: item[1][1])

    result = {
        "bare_execute_s": round(bare, 1),
        "cold_build_s": round(cold.seconds, 1),
        "noop_rebuild_s": round(noop.seconds, 1),
        "data_edit_rebuild_s": round(data_edit.seconds, 1),
        "code_edit_rebuild_s": round(code_edit.seconds, 1),
        "markdown_edit_rebuild_s": round(markdown_edit.seconds, 1),
        "test_s": round(test.seconds, 1),
        "html_mb": round(html_bytes / 1e6, 2),
        "largest_page_kb": round(largest / 1e3, 1),
        "make_pdf_s": make_pdf_s,
    }
    slowest, slowest_s = max(per_notebook.items(), key=lambda item: item[1])
    targets = {
        "no-change rebuild <= 10% of cold build": noop.seconds <= 0.10 * cold.seconds,
        "cold build <= 1.2 x bare serial execution": cold.seconds <= 1.2 * bare,
        f"data edit ({table}) re-executes exactly its readers": data_edit.executed == readers,
        "no-change rebuild executes nothing": noop.executed == [],
        "Markdown edit executes nothing": markdown_edit.executed == [],
        f"every notebook < 10 s (slowest {slowest}: {slowest_s:.1f} s)": slowest_s < 10,
        "make test < 5 min": test.seconds < 300,
        f"largest page with its images <= 2 MB ({largest_page})": largest <= 2e6,
    }
    print(f"{'measure':<28}{'value':>10}")
    for key, value in result.items():
        print(f"{key:<28}{value:>10}")
    print(f"(largest page with its images: {largest_page}; with scripts and styles too, the heaviest is "
          f"{heaviest_page} at {heaviest / 1e3:.0f} kB, most of it the theme's shared, cached assets)")
    print("\nwhat each build did (notebooks executed; pages Sphinx read):")
    for label, run in (("cold", cold), ("no change", noop), (f"edit {table}", data_edit),
                       ("edit src/highlands/style.py", code_edit), ("edit chapter 1 Markdown", markdown_edit)):
        print(f"  {label:<40}{len(run.executed):>3} executed, {run.pages_read:>3} pages read  "
              f"{', '.join(Path(n).stem for n in run.executed)}")
    print(f"  (notebooks that read {table}: {', '.join(readers)})")
    print("\nper notebook (bare execution, s):")
    for name, seconds in per_notebook.items():
        print(f"  {name:<45}{seconds:>6.1f}")
    print("\ntargets:")
    for name, met in targets.items():
        print(f"  [{'met' if met else 'MISSED'}] {name}")
    result["data_edit_reexecuted"] = [Path(n).stem for n in data_edit.executed]
    print(json.dumps(result))
    return 0 if all(targets.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
