"""The package reads like the pipeline: a stage imports only the stages before it, and nothing imports in a cycle."""
import ast
import pathlib

ENGINE = pathlib.Path(__file__).resolve().parent.parent / "engine"
ORDER = ["model", "io", "derive", "lang", "compile", "evaluate", "render", "tools", "app", "cli"]
# faces come last: the rule tools, the web app, and the command line that mounts both


def _imports(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("engine"):
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("engine"))
    return found


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ORDER else None


def test_every_module_belongs_to_a_stage():
    loose = [p.name for p in ENGINE.glob("*.py") if p.name not in ("__init__.py", "__main__.py")]
    assert loose == [], f"modules at the package root belong in a stage package: {loose}"


def test_no_stage_imports_a_later_stage():
    wrong = []
    for path in ENGINE.rglob("*.py"):
        rel = path.relative_to(ENGINE.parent).with_suffix("")
        here = _stage(".".join(rel.parts))
        if here is None:
            continue
        for target in _imports(path):
            there = _stage(target)
            if there is None or there == here:
                continue
            if ORDER.index(there) > ORDER.index(here):
                wrong.append(f"{rel} ({here}) imports {target} ({there})")
    assert wrong == []


def test_no_import_cycles_between_modules():
    modules = {".".join(p.relative_to(ENGINE.parent).with_suffix("").parts).removesuffix(".__init__"): p
               for p in ENGINE.rglob("*.py")}
    graph = {m: {t for t in _imports(p) if t in modules and t != m} for m, p in modules.items()}
    seen, stack, cycles = set(), [], []

    def visit(m):
        if m in stack:
            cycles.append(stack[stack.index(m):] + [m])
            return
        if m in seen:
            return
        seen.add(m)
        stack.append(m)
        for t in sorted(graph[m]):
            visit(t)
        stack.pop()

    for m in sorted(graph):
        visit(m)
    assert cycles == []
