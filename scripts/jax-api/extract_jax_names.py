"""Extract JAX's public name lists from its documentation sources (docs/jax*.rst).

Usage: python3 scripts/jax-api/extract_jax_names.py <jax source tree> <tag> > scripts/jax-api/jax-names.json
(the tree: `git archive jax-v0.11.0 docs jax/version.py` of github.com/jax-ml/jax, unpacked)

Each `.. autosummary::` entry and each `.. autoclass::` / `.. autofunction::` / `.. autodata::`
directive is one public name, in the module set by the nearest `.. currentmodule::` or
`.. automodule::` above it. The output maps module → sorted list of names (a dotted entry such
as `Array.sum` or `stats.norm.logpdf` stays as written, relative to its module).
"""

import json
import os
import re
import sys

DOCS = [
    "jax.rst",
    "jax.numpy.rst",
    "jax.lax.rst",
    "jax.random.rst",
    "jax.nn.rst",
    "jax.nn.initializers.rst",
    "jax.scipy.rst",
    "jax.tree.rst",
    "jax.tree_util.rst",
]

MODULE_RE = re.compile(r"^\.\. (?:currentmodule|automodule):: (\S+)")
SINGLE_RE = re.compile(r"^\.\. auto(?:class|function|data):: (\S+)")


def parse(text, default_module):
    module = default_module
    names = {}
    in_summary = False
    for line in text.splitlines():
        m = MODULE_RE.match(line)
        if m:
            module = m.group(1)
            in_summary = False
            continue
        m = SINGLE_RE.match(line)
        if m:
            names.setdefault(module, set()).add(m.group(1))
            in_summary = False
            continue
        if line.startswith(".. autosummary::"):
            in_summary = True
            continue
        if in_summary:
            stripped = line.strip()
            if not stripped or stripped.startswith(":"):
                continue
            if not line.startswith(" "):
                in_summary = False
                continue
            names.setdefault(module, set()).add(stripped)
    return names


def main():
    root = sys.argv[1]
    result = {}
    for doc in DOCS:
        with open(os.path.join(root, "docs", doc)) as f:
            text = f.read()
        default = doc[: -len(".rst")]
        for module, names in parse(text, default).items():
            result.setdefault(module, set()).update(names)
    tag = sys.argv[2]
    version = re.search(
        r'_version = "([^"]+)"', open(os.path.join(root, "jax", "version.py")).read()
    ).group(1)
    out = {
        "source": "github.com/jax-ml/jax docs/*.rst autosummary lists",
        "version": version,
        "tag": tag,
        "modules": {k: sorted(v) for k, v in sorted(result.items())},
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
