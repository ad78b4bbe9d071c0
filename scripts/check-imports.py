#!/usr/bin/env python3
"""Checks that each target of Package.swift declares exactly the modules its Swift files import.

A dependency no file imports is dead weight in every build; a module imported without being
declared builds only by accident, through another target's dependencies. Modules of the SDK
(Foundation, Testing, Glibc, ...) are not package dependencies and are not checked.

It also checks the module table of docs/architecture.md: each non-test target has a row whose
"imports" column names exactly the modules the manifest declares for it.

Usage: scripts/check-imports.py [package folder]   (exit status 1 when a target disagrees)
"""
import json
import pathlib
import re
import subprocess
import sys
import tempfile

IMPORT = re.compile(
    r"^\s*(?:@testable\s+)?(?:(?:public|package|internal|private|fileprivate)\s+)?import\s+"
    r"(?:(?:struct|class|enum|protocol|typealias|func|var|let)\s+)?([A-Za-z_][A-Za-z0-9_]*)",
    re.MULTILINE,
)


def main() -> int:
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    # A scratch folder of its own: reading the manifest then never waits for a build's lock.
    with tempfile.TemporaryDirectory() as scratch:
        manifest = json.loads(
            subprocess.run(
                ["swift", "package", "--package-path", str(root), "--scratch-path", scratch, "dump-package"],
                check=True, capture_output=True, text=True,
            ).stdout
        )
    targets = {target["name"]: target for target in manifest["targets"]}
    # Every product of the package's dependencies here is one module of the same name.
    known = set(targets)
    declared_by_target = {}
    for name, target in targets.items():
        declared = set()
        for dependency in target.get("dependencies", []):
            for kind in ("byName", "target", "product"):
                if kind in dependency:
                    declared.add(dependency[kind][0])
        declared_by_target[name] = declared
        known |= declared
    failures = []
    for name, target in sorted(targets.items()):
        folder = root / (target.get("path") or ("Tests" if target["type"] == "test" else "Sources") + "/" + name)
        sources = [path for path in folder.rglob("*.swift")]
        if not sources:
            continue  # a C target
        excluded = [folder / path for path in target.get("exclude", [])]
        imported = set()
        for path in sources:
            if any(path.is_relative_to(folder_) for folder_ in excluded):
                continue
            imported |= {module for module in IMPORT.findall(path.read_text()) if module in known}
        imported.discard(name)
        declared = declared_by_target[name]
        for module in sorted(declared - imported):
            failures.append(f"{name}: declares {module} but no file imports it")
        for module in sorted(imported - declared):
            failures.append(f"{name}: imports {module} without declaring it")
    failures += check_architecture(root, targets, declared_by_target, known)
    for failure in failures:
        print(failure)
    return 1 if failures else 0


def check_architecture(root, targets, declared_by_target, known):
    """The module table of docs/architecture.md against the manifest."""
    doc = root / "docs" / "architecture.md"
    if not doc.exists():
        return ["docs/architecture.md is missing"]
    rows = {}
    for line in doc.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`"):
            name = cells[0].split("`")[1]
            rows[name] = {word for word in re.findall(r"[A-Za-z][A-Za-z0-9]*", cells[2]) if word in known}
    failures = []
    for name, target in sorted(targets.items()):
        if target["type"] == "test":
            continue
        if name not in rows:
            failures.append(f"docs/architecture.md: no row for the module {name}")
            continue
        declared = declared_by_target[name]
        if rows[name] != declared:
            failures.append(
                f"docs/architecture.md: {name} imports {sorted(rows[name])}, Package.swift declares {sorted(declared)}")
    for name in sorted(set(rows) - set(targets)):
        failures.append(f"docs/architecture.md: a row for {name}, which Package.swift has no target of")
    return failures


if __name__ == "__main__":
    sys.exit(main())
