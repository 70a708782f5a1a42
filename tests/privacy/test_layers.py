"""The audit log sits below the dossiers: it imports nothing of Terugkeer but itself."""

import ast
from pathlib import Path

import terugkeer.audit


def _imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_the_audit_package_imports_no_other_terugkeer_package():
    package = Path(terugkeer.audit.__file__).parent
    files = sorted(package.rglob("*.py"))
    assert len(files) > 3
    above = {
        (str(path.relative_to(package)), module)
        for path in files
        for module in _imported_modules(path)
        if module.startswith("terugkeer.") and not module.startswith("terugkeer.audit")
    }
    assert above == set()
