"""The shape of the code: the pipeline's packages import only downstream-to-upstream (a step may use
what comes before it in ingest → index → guard → understand → retrieve → compose → verify →
pipeline, never what comes after), nothing imports in a cycle, and no module or function grows
past what a reader can hold."""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "assistant"
# lower layers first; a module may import from its own layer and the layers before it
LAYERS = [
    {"models", "settings", "messages", "resources", "text", "support", "topics", "registry"},
    {"ingest"},
    {"index"},
    {"guard"},
    {"understand"},
    {"retrieve"},
    {"compose"},
    {"verify"},
    {"pipeline"},
    {"assistant"},  # assistant/assistant.py, the Python API
    {"api", "cli", "evaluate", "quiz", "coverage", "__init__"},  # shells and applications
]
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The project modules a module imports anywhere in it (functions included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("assistant"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in MODULES else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("assistant")}
    return {m for m in found if m in MODULES and m != name}


def _layer(module: str) -> int:
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    return next(i for i, layer in enumerate(LAYERS) if top in layer)


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def test_every_module_has_a_layer():
    for name in MODULES:
        _layer(name)


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _layer(m) < len(LAYERS) - 1))
def test_no_upward_import(module):
    upward = sorted(dep for dep in GRAPH[module] if _layer(dep) > _layer(module))
    assert not upward, f"{module} imports from a later stage: {upward}"


def test_no_import_cycle():
    """Between modules, counting imports inside functions too (a package's own __init__ aside,
    which only re-exports its modules)."""
    graph = {m: {d for d in deps if not MODULES[d].name == "__init__.py"} for m, deps in GRAPH.items()
             if MODULES[m].name != "__init__.py"}
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        path.append(m)
        for d in sorted(graph.get(m, ())):
            if state.get(d) == 1:
                raise AssertionError("import cycle: " + " -> ".join(path[path.index(d):] + [d]))
            if d not in state:
                visit(d)
        path.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)


def test_modules_and_functions_stay_small():
    too_long = []
    for name, path in MODULES.items():
        source = path.read_text(encoding="utf-8")
        if len(source.splitlines()) > MAX_MODULE_LINES:
            too_long.append(f"module {name}: {len(source.splitlines())} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{name}.{node.name}: {length} lines")
    assert not too_long


def test_a_refusal_rule_is_a_class_in_the_ordered_registry():
    """Each rule has its message from assistant/messages.py; the registry names each rule once."""
    from assistant import messages
    from assistant.compose.refuse import RULES, RefusalRule

    assert len(RULES) == len(set(RULES))
    said = {v for k, v in vars(messages).items() if k.isupper()}
    for rule in RULES:
        assert issubclass(rule, RefusalRule) and rule.message in said, rule.__name__


def test_every_package_ships_in_the_wheel():
    """pyproject.toml lists the packages one by one (the resource folders are mapped into them):
    a package left off the list would be missing from an installed wheel."""
    import tomllib

    listed = set(tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    present = {".".join(p.parent.relative_to(PACKAGE.parent).parts) for p in PACKAGE.rglob("__init__.py")}
    assert present <= listed, sorted(present - listed)
