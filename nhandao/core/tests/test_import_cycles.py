"""nhandao's import graph has floors: no two apps import each other, no two modules either, and no
import hides inside a function to dodge a cycle.

Each app sits on one floor (core, accounts, geo, org, office, people, messaging, beneficiaries, campaigns,
funds, banking, portal, as INSTALLED_APPS lists them): a lower app that needs something from a
higher one offers a hook the higher one registers from its AppConfig.ready() (org's unit counters,
campaigns' detail context, core.refcodes' owners, core.registry's menu).
"""

from nhandao.core.tests.importgraph import (
    app_graph,
    cycles,
    import_sites,
    module_graph,
    source_modules,
)

# Function-local imports that stay, each for a reason given in its module's docstring: third-party
# libraries loaded only by the feature that needs them (start-up time and memory of every process).
LAZY_LIBRARIES = ("openpyxl", "python_calamine", "PIL", "fpdf", "psycopg", "segno")


def test_the_cycle_finder_finds_a_cycle_and_only_the_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_two_apps_import_each_other():
    assert cycles(app_graph(module_graph())) == []


def test_no_two_modules_import_each_other():
    assert cycles(module_graph()) == []


def test_the_graph_sees_module_level_imports_between_apps():
    graph = module_graph()
    assert "nhandao.org.access" in graph["nhandao.office.views"]
    assert "nhandao.funds.public" in graph["nhandao.portal.views"]


def function_local_imports(modules) -> list[str]:
    """Imports inside functions, but those of apps.py (the app registry is not ready when apps.py
    is imported: Django's idiom) and of the lazily loaded libraries."""
    return [
        f"{name}:{site.line} ({site.function}) imports {site.targets[0]}"
        for name, path in modules.items()
        if not name.endswith(".apps")
        for site in import_sites(name, path.read_text())
        if site.function is not None and not site.targets[0].startswith(LAZY_LIBRARIES)
    ]


def test_no_import_hides_inside_a_function():
    assert function_local_imports(source_modules()) == []


def test_an_import_inside_a_function_is_found():
    source = "import json\n\ndef f():\n    from nhandao.funds import selectors\n    import openpyxl\n"
    found = [
        site
        for site in import_sites("nhandao.portal.cache", source)
        if site.function and not site.targets[0].startswith(LAZY_LIBRARIES)
    ]
    assert [(site.line, site.function, site.targets[0]) for site in found] == [(4, "f", "nhandao.funds")]
