"""The import pages and their writes: upload into a unit in the user's scope, the dry-run
report, confirm or discard.  The framework they drive (importers, readers, parsers, the
template) is `nhandao.core.imports`; this package adds what needs the organisation tree."""
