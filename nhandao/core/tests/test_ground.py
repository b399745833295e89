"""core is the ground floor: it imports no domain app, at module level or inside a function,
in its code, its tests and its migrations alike (what needs the organisation tree lives in
nhandao.office or in the app that owns it)."""

from nhandao.core.tests.importgraph import DOMAIN_APPS, import_sites, source_modules


def is_domain(target: str) -> bool:
    return any(target == f"nhandao.{app}" or target.startswith(f"nhandao.{app}.") for app in DOMAIN_APPS)


def domain_imports(module: str, source: str) -> list[str]:
    """One line per import statement that names a domain app."""
    return [
        f"{module}:{site.line} imports {site.targets[0]}"
        for site in import_sites(module, source)
        if any(is_domain(target) for target in site.targets)
    ]


def test_core_imports_no_domain_app():
    modules = source_modules(tests=True, migrations=True, under="nhandao.core")
    assert "nhandao.core.audit" in modules and "nhandao.core.tests.test_ground" in modules
    found = [hit for name, path in modules.items() for hit in domain_imports(name, path.read_text())]
    assert found == []


def test_an_import_of_org_hidden_inside_a_function_is_found():
    source = "def home(request):\n    if request:\n        from nhandao.org import access\n"
    assert domain_imports("nhandao.core.views", source) == ["nhandao.core.views:3 imports nhandao.org"]


def test_a_relative_import_that_climbs_into_a_domain_app_is_found():
    source = "from ..org.models import Unit\n"
    assert domain_imports("nhandao.core.views", source) == ["nhandao.core.views:1 imports nhandao.org.models"]


def test_imports_within_core_are_allowed():
    source = "from . import audit\nfrom nhandao.core.models import Job\nimport nhandao.core.text\n"
    assert domain_imports("nhandao.core.jobs", source) == []
