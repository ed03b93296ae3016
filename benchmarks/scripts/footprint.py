#!/usr/bin/env python3
"""Prints what each airgap library module brings to an application: its own jar plus every jar it
needs at run time (optional dependencies excluded), counted from the CycloneDX SBOM each module
writes at package time and the jars in the local Maven repository.

Usage, after `mvn -q package -DskipTests` at the root of the build:
    benchmarks/scripts/footprint.py
"""
import json
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
REPO = os.path.expanduser(os.environ.get("MAVEN_REPOSITORY", "~/.m2/repository"))
MODULES = ["airgap-core", "airgap-audit", "airgap-drift", "airgap-inference",
           "airgap-offline-deps", "airgap-metrics", "airgap-test-support"]


def own_jar(module):
    target = os.path.join(ROOT, module, "target")
    jars = [f for f in os.listdir(target) if f.endswith(".jar") and "sources" not in f
            and "javadoc" not in f]
    if len(jars) != 1:
        sys.exit(f"{module}: expected one jar in {target}, found {jars}: run mvn package first")
    return os.path.join(target, jars[0])


def sbom(module):
    target = os.path.join(ROOT, module, "target")
    names = [f for f in os.listdir(target) if f.endswith("-cyclonedx.json")]
    if not names:
        sys.exit(f"{module}: no SBOM in {target}: run mvn package first")
    with open(os.path.join(target, names[0]), encoding="utf-8") as f:
        return json.load(f)


def jar_of(component):
    group, name, version = component["group"], component["name"], component["version"]
    if group == "io.airgap":
        return own_jar(name)
    path = os.path.join(REPO, *group.split("."), name, version, f"{name}-{version}.jar")
    if not os.path.exists(path):
        sys.exit(f"missing {path}")
    return path


def main():
    print(f"{'module':22} {'jars':>4} {'MB':>7}  third-party jars")
    for module in MODULES:
        components = [c for c in sbom(module).get("components", [])
                      if c.get("scope", "required") == "required"]
        jars = [own_jar(module)] + [jar_of(c) for c in components]
        size = sum(os.path.getsize(j) for j in jars) / 1e6
        third = sorted(c["name"] for c in components if c["group"] != "io.airgap")
        print(f"{module:22} {len(jars):4} {size:7.1f}  {', '.join(third)}")


if __name__ == "__main__":
    main()
