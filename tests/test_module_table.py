"""The parsed modules one process keeps are bounded by an estimate of their memory, however
large the tree (``project.ModuleTable``)."""

from __future__ import annotations

from pathlib import Path

from scopelint.read import source
from scopelint.resolve.project import SKELETON_COST, TREE_COST, ProjectIndex


def modules(tmp_path: Path, count: int) -> list[Path]:
    """``count`` modules of the same size, each with a function whose body a skeleton leaves out."""
    paths = []
    for number in range(count):
        path = tmp_path / f"m{number}.py"
        path.write_text(f"def f{number}(x):\n    y = x + {number}\n    return y * 2\n" * 20)
        paths.append(path.resolve())
    return paths


def test_the_table_keeps_to_its_budget_dropping_the_least_recently_used(tmp_path):
    paths = modules(tmp_path, 8)
    size = len(paths[0].read_bytes())
    index = ProjectIndex(paths, budget=3 * size * TREE_COST)
    for path in paths:
        index.module(path)
    assert list(index._parsed) == paths[-3:]
    assert index._parsed.total == 3 * size * TREE_COST
    index.module(paths[-3])  # used again: now the most recent
    index.module(paths[0])  # parsed again; the least recently used goes
    assert list(index._parsed) == [paths[-1], paths[-3], paths[0]]


def test_a_skeleton_costs_more_as_its_bodies_are_parsed(tmp_path):
    (path,) = modules(tmp_path, 1)
    index = ProjectIndex([], root=tmp_path)  # not a file of the run: imported as a skeleton
    index.module(path)
    skeleton = index.skeleton(path)
    assert skeleton is not None and skeleton.sources
    size = len(path.read_bytes())
    assert index._parsed.total == size * SKELETON_COST
    stub = next(iter(skeleton.sources))
    skeleton.body(stub)
    assert index._parsed._cost(path, skeleton) == (
        size * SKELETON_COST + len(skeleton.sources[stub]) * TREE_COST
    )


def test_the_module_being_linted_stays_while_its_imports_come_and_go(tmp_path):
    """Its own imports that import it back must find the very tree its lint runs on."""
    first, *others = modules(tmp_path, 6)
    index = ProjectIndex([first, *others], budget=1)
    data = first.read_bytes()
    tree = source.parse(source.decode(data))
    index.remember(first, data, tree)
    for path in others:
        index.module(path)
    assert index.parsed(first, data) is tree
    assert index.module(first) is tree
