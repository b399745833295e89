"""The portal reads the fund only through `funds.public`: never through the staff reads
(`funds.selectors`, scoped by who asks), which a public page has no user to give."""

from __future__ import annotations

import ast
from pathlib import Path

import nhandao.portal

PORTAL = Path(nhandao.portal.__file__).parent
STAFF_READS = "nhandao.funds.selectors"


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(PORTAL.parent.parent).with_suffix("").parts)


def staff_read_imports(source: str, module: str) -> list[str]:
    """The imports in `source` (the module `module`) that reach the fund's staff reads."""
    package = module.rpartition(".")[0]  # a package's own __init__ too: "nhandao.portal.__init__"
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found += [name for name in names if name == STAFF_READS or name.startswith(STAFF_READS + ".")]
    return found


def portal_modules() -> list[Path]:
    return [p for p in sorted(PORTAL.rglob("*.py")) if "tests" not in p.relative_to(PORTAL).parts]


def test_the_portal_imports_nothing_from_the_funds_staff_reads():
    modules = portal_modules()
    assert len(modules) > 10 and PORTAL / "views.py" in modules
    offending = {
        str(path.relative_to(PORTAL)): found
        for path in modules
        if (found := staff_read_imports(path.read_text(encoding="utf-8"), _module_name(path)))
    }
    assert offending == {}


def test_the_import_check_sees_every_way_of_reaching_the_staff_reads():
    """Positive control: each spelling of the forbidden import is caught, the public module is not."""
    module = "nhandao.portal.views"
    assert staff_read_imports("from nhandao.funds import selectors as funds", module)
    assert staff_read_imports("from nhandao.funds.selectors import campaign_totals", module)
    assert staff_read_imports("import nhandao.funds.selectors", module)
    assert staff_read_imports("def f():\n    from nhandao.funds.selectors import fund_get\n", module)
    assert staff_read_imports("from ..funds import selectors", module)
    assert not staff_read_imports("from nhandao.funds import public as funds", module)
    assert not staff_read_imports("from . import selectors", module)
    assert not staff_read_imports("from nhandao.campaigns import selectors", module)
    assert staff_read_imports("from ...funds import selectors", "nhandao.portal.data.views")
    assert staff_read_imports("from ..funds import selectors", "nhandao.portal.__init__")
