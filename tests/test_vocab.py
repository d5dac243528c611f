"""One vocabulary per code list: every code list is defined in carescore/vocab.py and
nowhere else, and every code the product compares, filters or stores is in its list there.

Read from the source (the syntax tree of every product module, and the templates), so a
copy of a list, or a code the vocabulary lacks, fails here before it drifts.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections import defaultdict
from pathlib import Path

import pytest

from carescore import vocab

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("carescore", "website", "collectors")
VOCAB = ROOT / "carescore" / "vocab.py"

CODE_LISTS: dict[str, tuple[str, ...]] = {
    name: value
    for name, value in vars(vocab).items()
    if name.isupper()
    and isinstance(value, tuple)
    and len(value) >= 2
    and all(isinstance(v, str) for v in value)
}

# A field, compared with or set to a string, holds a code of this list.
FIELD_LISTS = {
    "label": vocab.LABELS,
    "requested_label": vocab.LABELS,
    "previous_label": vocab.LABELS,
    "direction": vocab.DIRECTIONS,
    "window": vocab.WINDOWS,
    "lang": vocab.LANGUAGES,
    "platform": (*vocab.PLATFORMS, vocab.DEMO_PLATFORM),
}
# Fields whose names are too common to read alone: only on a dispute.
DISPUTE_FIELD_LISTS = {"status": vocab.DISPUTE_STATUSES, "kind": vocab.DISPUTE_KINDS}

# The same codes in a fixed order of their own, which a vocabulary name would not say.
SAME_CODES_OTHER_MEANING = {
    ("carescore/scoring/classifier.py", frozenset({"fail", "praise"})): (
        "HEADS: the order of each weight pair in the stored model.json"
    ),
    ("carescore/read/periods.py", frozenset(vocab.WINDOWS)): (
        "the order in which the home page looks for a ranked period"
    ),
    ("website/i18n.py", frozenset({"en", "fr"})): (
        "the site's own languages (its message catalogues), not the ones the scorer reads"
    ),
}


def _modules() -> list[Path]:
    return [
        path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts and path != VOCAB
    ]


def _strings(node: ast.AST) -> list[str] | None:
    """The strings of a literal collection of strings (or frozenset({...})), else None."""
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("frozenset", "set"):
        return _strings(node.args[0]) if len(node.args) == 1 else None
    literal = isinstance(node, ast.Tuple | ast.List | ast.Set) and node.elts
    if literal and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts):
        return [e.value for e in node.elts]
    return None


def _field(node: ast.AST) -> tuple[str | None, str | None]:
    """(field name, name of what holds it) for `x.field`, `field` or `row["field"]`."""
    if isinstance(node, ast.Attribute):
        owner = node.value
        holder = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", None)
        return node.attr, holder
    if isinstance(node, ast.Name):
        return node.id, None
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        return (node.slice.value if isinstance(node.slice.value, str) else None), None
    return None, None


def _codes(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    return _strings(node) or []


def _list_for(node: ast.AST) -> tuple[str, tuple[str, ...]] | None:
    name, holder = _field(node)
    if name in FIELD_LISTS:
        return name, FIELD_LISTS[name]
    if name in DISPUTE_FIELD_LISTS and holder and holder.lower() in ("dispute", "d"):
        return name, DISPUTE_FIELD_LISTS[name]
    return None


def _uses(tree: ast.AST) -> list[tuple[int, str, str, tuple[str, ...]]]:
    """(line, field, code, its list) for every code compared with, filtered on or given to
    a field of a code list."""
    found = []
    for node in ast.walk(tree):
        pairs: list[tuple[ast.AST, ast.AST]] = []
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            for left, right in itertools.pairwise(sides):
                pairs += [(left, right), (right, left)]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("in_", "not_in")
            and node.args
        ):
            pairs.append((node.func.value, node.args[0]))
        if isinstance(node, ast.Call):
            pairs += [(ast.Name(k.arg), k.value) for k in node.keywords if k.arg]
        if isinstance(node, ast.Assign):
            pairs += [(target, node.value) for target in node.targets]
        for field_node, value in pairs:
            target = _list_for(field_node)
            if target is None:
                continue
            for code in _codes(value):
                found.append((node.lineno, target[0], code, target[1]))
    return found


def test_the_vocabulary_has_code_lists_and_each_is_unique():
    assert {"LABELS", "WINDOWS", "TOPICS", "LANGUAGES", "PLATFORMS"} <= set(CODE_LISTS)
    for name, codes in CODE_LISTS.items():
        assert len(set(codes)) == len(codes), f"{name} repeats a code"


def test_sub_lists_take_their_codes_from_their_list():
    assert set(vocab.ACTIONABLE_LABELS) <= set(vocab.LABELS)
    assert set(vocab.OPINION_LABELS) <= set(vocab.LABELS)
    assert set(vocab.SECTOR_NAMES) == set(vocab.SECTORS)


def test_no_code_list_is_written_out_a_second_time():
    """A literal with exactly the codes of a vocabulary list, anywhere in the product, is a
    copy that will drift: it should name the list. Two module constants with the same
    codes are one list defined twice."""
    by_codes = {frozenset(codes): name for name, codes in CODE_LISTS.items()}
    copies = []
    constants: dict[frozenset[str], list[str]] = defaultdict(list)
    for path in _modules():
        relative = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            strings = _strings(node)
            if strings is None or len(strings) < 2:
                continue
            codes = frozenset(strings)
            if codes in by_codes and (relative, codes) not in SAME_CODES_OTHER_MEANING:
                copies.append(f"{relative}:{node.lineno} repeats vocab.{by_codes[codes]}")
        for node in tree.body:
            if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
                strings = _strings(node.value)
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names = [t.id for t in targets if isinstance(t, ast.Name) and t.id.isupper()]
                if strings and len(strings) >= 2 and names:
                    constants[frozenset(strings)].append(f"{relative}:{names[0]}")
    copies += [
        f"{' and '.join(where)} define one list" for where in constants.values() if len(where) > 1
    ]
    assert not copies, "\n".join(copies)


def test_every_code_the_product_uses_is_in_the_vocabulary():
    unknown = []
    seen: dict[str, set[str]] = defaultdict(set)
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, field, code, codes in _uses(tree):
            seen[field].add(code)
            if code and code not in codes:
                unknown.append(f"{path.relative_to(ROOT)}:{line} {field} {code!r}")
    assert not unknown, "\n".join(unknown)
    # The scan reads real uses (an empty scan would pass anything).
    assert {"fail", "praise", "question"} <= seen["label"]
    assert {"inbound", "brand"} <= seen["direction"]
    assert "pending" in seen["status"]


_TEMPLATE_USE = re.compile(
    r"\b(label|direction|window)\s*(?:==|!=)\s*['\"]([^'\"]*)['\"]"
    r"|\b(label|direction|window)\s+(?:not\s+)?in\s+\(([^)]*)\)"
)


def test_every_code_the_templates_compare_is_in_the_vocabulary():
    unknown = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for match in _TEMPLATE_USE.finditer(path.read_text(encoding="utf-8")):
            field = match[1] or match[3]
            codes = [match[2]] if match[1] else re.findall(r"['\"]([^'\"]*)['\"]", match[4])
            unknown += [
                f"{path.name}: {field} {code!r}" for code in codes if code not in FIELD_LISTS[field]
            ]
    assert not unknown, "\n".join(unknown)


@pytest.mark.parametrize(
    ("source", "complaint"),
    [
        ('LABELS = ("praise", "fail", "question", "neutral")\n', "repeats vocab.LABELS"),
        ('def f(p):\n    return p.label in ("fail", "question")\n', "repeats vocab.ACTIONABLE"),
        ('def f(p):\n    return p.label == "complaint"\n', "unknown"),
        ('def f(d):\n    d.status = "closed"\n', "unknown"),
    ],
)
def test_the_scans_catch_a_copy_and_an_unknown_code(source, complaint):
    """The checks above, run on a small module that breaks each rule."""
    tree = ast.parse(source)
    by_codes = {frozenset(codes): name for name, codes in CODE_LISTS.items()}
    copies = [
        f"repeats vocab.{by_codes[frozenset(s)]}"
        for node in ast.walk(tree)
        if (s := _strings(node)) and len(s) >= 2 and frozenset(s) in by_codes
    ]
    unknown = ["unknown" for _, _, code, codes in _uses(tree) if code not in codes]
    assert any(problem.startswith(complaint) for problem in copies + unknown)


# The same name and value on purpose in two places, and why.
SAME_CONSTANT_ON_PURPOSE = {
    "CONFIDENCE": "the scorer's evaluation (scoring/) chooses its intervals apart from the "
    "ranking's rules, which scoring must not import",
}


def test_no_constant_is_defined_in_two_modules():
    """A module constant written again elsewhere under the same name and value (a code,
    a threshold) drifts the day one copy changes: import it instead."""
    places: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path in [*_modules(), VOCAB]:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id.isupper()
                and isinstance(node.value, ast.Constant)
                and node.targets[0].id not in SAME_CONSTANT_ON_PURPOSE
            ):
                key = (node.targets[0].id, repr(node.value.value))
                places[key].append(path.relative_to(ROOT).as_posix())
    twice = {f"{name} = {value}": where for (name, value), where in places.items()}
    twice = {constant: where for constant, where in twice.items() if len(where) > 1}
    assert not twice, twice
