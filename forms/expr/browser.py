"""The expression tree in the shape the browser's evaluator (webapp/static/fill.js) reads."""

from __future__ import annotations

from typing import Any

from forms.expr import nodes as n


def tree_json(node: n.Node) -> Any:
    """A syntax tree as nested lists, for the evaluator in static/fill.js: the browser's live
    preview computes with the same tree the engine does, so the two cannot parse differently."""
    match node:
        case n.Number(value=value):
            return ["num", value]
        case n.String(value=value):
            return ["str", value]
        case n.Boolean(value=value):
            return ["bool", value]
        case n.Name(key=key):
            return ["name", key]
        case n.ColumnRef(table=table, name=name):
            return ["col", table, name]
        case n.SelfRef():
            return ["self"]
        case n.Unary(op=op, operand=operand):
            return ["unary", op, tree_json(operand)]
        case n.Binary(op=op, left=left, right=right):
            return ["bin", op, tree_json(left), tree_json(right)]
        case n.Compare(op=op, left=left, right=right):
            return ["cmp", op, tree_json(left), tree_json(right)]
        case n.Logical(op=op, left=left, right=right):
            return ["logic", op, tree_json(left), tree_json(right)]
        case n.Call(name=name, args=args):
            return ["call", name, [tree_json(a) for a in args]]
    return ["null"]
