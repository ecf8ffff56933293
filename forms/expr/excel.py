"""Translation to a live Excel formula that agrees with `evaluate`.

Excel reads a blank cell as 0 and turns a zero denominator into #DIV/0!, where the engine says
*no data*. Inside the formula *no data* is carried as an Excel error, which every operator
passes on for free (so nothing is written twice); the outermost level turns it into "". Cells
whose blankness alone makes the whole result blank are tested once, up front, which keeps the
common formulas short and readable:

    a / b * 100   →   =IF(OR(C5="",C6=""),"",IFERROR(C5/C6*100,""))
    sum(a, b)     →   =IF(COUNT(C5,C6)=0,"",SUM(C5,C6))

A column function reads the column's range in the table block (`ranges`, see `to_excel`):

    sum(t.c)      →   =IF(COUNT(F12:F20)=0,"",SUM(F12:F20))
    count(t)      →   =SUMPRODUCT(((LEN(TRIM(E12:E20))+LEN(TRIM(F12:F20)))>0)*1)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from . import nodes as n
from .columns import is_column_call
from .functions import FUNCTIONS
from .nodes import PREC_ADD, PREC_ATOM, PREC_COMPARE, PREC_UNARY, quote

SELF = "."  # the key standing for the item itself; no item key can be spelled so
EXCEL_COMPARE = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "=": "=", "!=": "<>"}
# What stands in for a skipped argument of SUM/MIN/MAX (an all-blank call is tested apart).
NEUTRAL = {"sum": "0", "min": "9.99E+307", "max": "-9.99E+307"}


@dataclass(frozen=True)
class _Frag:
    text: str
    prec: int
    may_fail: bool  # may be an Excel error, standing for "no data"
    # The same value with "" for no data, where cheaper than IFERROR; a function so that it is
    # only written when used (writing it eagerly would double the work at each nested if).
    blank_form: Callable[[], str] | None = None
    score: str | None = None  # a condition as false 0 / no data 0.5 / true 1 (see `logical`)


#: The Excel function of each column function over a column's range (count is written apart).
COLUMN_EXCEL = {"sum": "SUM", "min": "MIN", "max": "MAX", "avg": "AVERAGE"}


def to_excel(root: n.Node, cells: Mapping[str, str], self_cell: str | None = None,
             ranges: Mapping[str, tuple[str, ...]] | None = None) -> str:
    """`ranges`: for a table `t`, ranges["t.c"] is the range of column c's cells ("F12:F20")
    and ranges["t"] the ranges of its typed columns (what makes a row a row, for count(t))."""
    strict = _strict(root)
    guarded = [key for key in _keys(root) if key in strict]
    writer = _Writer(cells, self_cell, frozenset(guarded), ranges or {})
    body = _blank_form(writer.frag(root))
    if not guarded:
        return "=" + body
    condition = _any([f'{writer.cell(key)}=""' for key in guarded])
    return f'=IF({condition},"",{body})'


def _keys(node: n.Node) -> list[str]:
    """Keys of single cells read by `node`, in reading order, each once (a column function
    reads a range, never one cell)."""
    order: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if is_column_call(current):
            continue
        key = _key(current)
        if key is not None and key not in order:
            order.append(key)
        stack.extend(reversed(current.children()))
    return order


def _key(node: n.Node) -> str | None:
    if isinstance(node, n.Name):
        return node.key
    if isinstance(node, n.SelfRef):
        return SELF
    return None


def _strict(node: n.Node) -> frozenset[str]:
    """Cells that, left blank, make the whole of `node` no data whatever the others hold."""
    key = _key(node)
    if key is not None:
        return frozenset({key})
    if is_column_call(node):
        return frozenset()
    match node:
        case n.Unary(operand=operand):
            return _strict(operand)
        case n.Binary(left=left, right=right) | n.Compare(left=left, right=right):
            return _strict(left) | _strict(right)
        case n.Logical(left=left, right=right):
            return _strict(left) & _strict(right)
        case n.Call(name="if", args=(condition, then, otherwise)):
            return _strict(condition) | (_strict(then) & _strict(otherwise))
        case n.Call(name="sum" | "min" | "max", args=args) if args:
            result = _strict(args[0])
            for arg in args[1:]:
                result &= _strict(arg)
            return result
        case n.Call(name="round" | "abs", args=args):
            return frozenset().union(*(_strict(arg) for arg in args))
    return frozenset()


def _any(tests: list[str]) -> str:
    return tests[0] if len(tests) == 1 else f"OR({','.join(tests)})"


def _all(tests: list[str]) -> str:
    return tests[0] if len(tests) == 1 else f"AND({','.join(tests)})"


def _blank_form(frag: _Frag) -> str:
    if frag.blank_form is not None:
        return frag.blank_form()
    return f'IFERROR({frag.text},"")' if frag.may_fail else frag.text


def _wrap(frag: _Frag, min_prec: int) -> str:
    return f"({frag.text})" if frag.prec < min_prec else frag.text


def _number(value: int | float) -> str:
    return str(value) if isinstance(value, int) else repr(value).upper()


class _Writer:
    def __init__(self, cells: Mapping[str, str], self_cell: str | None, guarded: frozenset[str],
                 ranges: Mapping[str, tuple[str, ...]]):
        self.cells = cells
        self.ranges = ranges
        self.self_cell = self_cell
        self.guarded = guarded  # tested up front: known not blank below the outer IF

    def cell(self, key: str) -> str:
        if key == SELF:
            if self.self_cell is None:
                raise ValueError('the expression uses "." but no self_cell was given')
            return self.self_cell
        if key not in self.cells:
            raise ValueError(f"no cell given for item {key!r}")
        return self.cells[key]

    def frag(self, node: n.Node) -> _Frag:
        key = _key(node)
        if key is not None:
            ref = self.cell(key)
            if key in self.guarded:
                return _Frag(ref, PREC_ATOM, False)
            return _Frag(f'IF({ref}="",NA(),{ref})', PREC_ATOM, True)
        match node:
            case n.Number(value=value):
                return _Frag(_number(value), PREC_ATOM, False)
            case n.String(value=value):
                return _Frag(quote(value), PREC_ATOM, False)
            case n.Boolean(value=value):
                return _Frag("TRUE" if value else "FALSE", PREC_ATOM, False)
            case n.Unary(op="not", operand=operand):
                inner = self.frag(operand)
                return _Frag(f"NOT({inner.text})", PREC_ATOM, inner.may_fail)
            case n.Unary(op="+", operand=operand):
                return self.frag(operand)
            case n.Unary(operand=operand):
                inner = self.frag(operand)
                return _Frag("-" + _wrap(inner, PREC_UNARY), PREC_UNARY, inner.may_fail)
            case n.Binary(op=op, left=left, right=right):
                return self.binary(node, op, left, right)
            case n.Compare(op=op, left=left, right=right):
                return self.compare(op, left, right)
            case n.Logical(op=op):
                return self.logical(node, op)
            case n.Call():
                return self.call(node)
        raise ValueError(f"cannot write {node!r} as an Excel formula")

    def binary(self, node: n.Binary, op: str, left: n.Node, right: n.Node) -> _Frag:
        a, b = self.frag(left), self.frag(right)
        # A unary minus on the right is bracketed: "C5*-C6" is legal but easy to misread.
        right_text = f"({b.text})" if b.prec <= node.prec or b.prec == PREC_UNARY else b.text
        text = f"{_wrap(a, node.prec)}{op}{right_text}"
        return _Frag(text, node.prec, a.may_fail or b.may_fail or op == "/")

    def compare(self, op: str, left: n.Node, right: n.Node) -> _Frag:
        a, b = self.frag(left), self.frag(right)
        may_fail = a.may_fail or b.may_fail
        if op in ("=", "!=") and (isinstance(left, n.String) or isinstance(right, n.String)):
            # Excel's "=" ignores case; a choice name must match exactly, as in `evaluate`.
            text = f"EXACT({a.text},{b.text})"
            if op == "!=":
                text = f"NOT({text})"
            return _Frag(text, PREC_ATOM, may_fail)
        text = f"{_wrap(a, PREC_ADD)}{EXCEL_COMPARE[op]}{_wrap(b, PREC_ADD)}"
        return _Frag(text, PREC_COMPARE, may_fail)

    def logical(self, node: n.Logical, op: str) -> _Frag:
        operands = _flatten(node, lambda x: isinstance(x, n.Logical) and x.op == op)
        pieces = [self.piece(operand) for operand in operands]
        if all(not tests and not frag.may_fail for tests, frag in pieces):
            texts = ",".join(frag.text for _, frag in pieces)
            return _Frag(f"{op.upper()}({texts})", PREC_ATOM, False)
        # Three-valued logic as numbers: false 0, no data 0.5, true 1; "and" is the smallest,
        # "or" the largest; CHOOSE maps back without writing the operands twice.
        scores = []
        for tests, frag in pieces:
            if frag.score is not None and not tests:
                scores.append(frag.score)
                continue
            score = f"IF({frag.text},1,0)"
            if frag.may_fail:
                score = f"IFERROR({score},0.5)"
            if tests:
                score = f"IF({_any(tests)},0.5,{score})"
            scores.append(score)
        pick = "MIN" if op == "and" else "MAX"
        score = f"{pick}({','.join(scores)})"
        choose = f"CHOOSE({score}*2+1,FALSE,{{}},TRUE)"
        blank = choose.format('""')
        return _Frag(choose.format("NA()"), PREC_ATOM, True, lambda: blank, score)

    def piece(self, node: n.Node) -> tuple[list[str], _Frag]:
        """A blank test and the node written as if its cells were filled, when blank cells are
        the node's only way to be no data (so its text need not carry IF(…,NA(),…) guards);
        else no test and the plain fragment."""
        keys = [key for key in _keys(node) if key not in self.guarded]
        if not keys or not set(keys) <= _strict(node):
            return [], self.frag(node)
        inner = _Writer(self.cells, self.self_cell, self.guarded | set(keys), self.ranges)
        return [f'{self.cell(key)}=""' for key in keys], inner.frag(node)

    def blank_piece(self, node: n.Node) -> str:
        tests, frag = self.piece(node)
        if not tests:
            return _blank_form(frag)
        return f'IF({_any(tests)},"",{_blank_form(frag)})'

    def range_of(self, key: str) -> tuple[str, ...]:
        if key not in self.ranges:
            raise ValueError(f"no range given for {key!r}")
        return self.ranges[key]

    def column(self, node: n.Call) -> _Frag:
        """A column function over its range: blank cells (and "" results of computed columns)
        are skipped by SUM/MIN/MAX/AVERAGE/COUNT themselves; no value at all is no data."""
        arg = node.args[0]
        if isinstance(arg, n.Name):  # count(t): rows with a typed cell filled
            filled = "+".join(f"LEN(TRIM({r}))" for r in self.range_of(arg.key))
            test = f"({filled})>0" if "+" in filled else f"{filled}>0"
            return _Frag(f"SUMPRODUCT(({test})*1)", PREC_ATOM, False)
        if not isinstance(arg, n.ColumnRef) or node.name not in (*COLUMN_EXCEL, "count"):
            raise ValueError(f"cannot write {node!r} as an Excel formula")
        (ref,) = self.range_of(f"{arg.table}.{arg.name}")
        if node.name == "count":
            return _Frag(f"SUMPRODUCT((LEN(TRIM({ref}))>0)*1)", PREC_ATOM, False)
        text = f"{COLUMN_EXCEL[node.name]}({ref})"
        empty = f"COUNT({ref})=0"
        blank = f'IF({empty},"",{text})'
        return _Frag(f"IF({empty},NA(),{text})", PREC_ATOM, True, lambda: blank)

    def call(self, node: n.Call) -> _Frag:
        if is_column_call(node):
            return self.column(node)
        function = FUNCTIONS.get(node.name)
        if function is None:
            raise ValueError(f"unknown function {node.name!r}")
        if not function.accepts(len(node.args)):
            raise ValueError(f"wrong number of arguments to {node.name!r}")
        if node.name in NEUTRAL:
            return self.aggregate(node)
        frags = [self.frag(arg) for arg in node.args]
        may_fail = any(frag.may_fail for frag in frags)
        texts = [frag.text for frag in frags]
        if node.name == "if":
            text = f"IF({','.join(texts)})"
            blank: Callable[[], str] | None = None
            if not frags[0].may_fail:
                then, otherwise = node.args[1], node.args[2]

                def blank() -> str:
                    return f"IF({texts[0]},{self.blank_piece(then)},{self.blank_piece(otherwise)})"

            return _Frag(text, PREC_ATOM, may_fail, blank)
        if node.name == "round":
            digits = texts[1] if len(texts) > 1 else "0"
            return _Frag(f"ROUND({texts[0]},{digits})", PREC_ATOM, may_fail)
        return _Frag(f"{node.name.upper()}({','.join(texts)})", PREC_ATOM, may_fail)

    def aggregate(self, node: n.Call) -> _Frag:
        """SUM/MIN/MAX skip blank cells by themselves; computed arguments that may be no data
        are replaced by a neutral value, and the call is no data only if every argument is."""
        name = node.name
        args = _flatten(node, lambda x: isinstance(x, n.Call) and x.name == name and bool(x.args))
        parts: list[str] = []
        refs: list[str] = []
        failing: list[str] = []
        always = False
        for arg in args:
            key = _key(arg)
            if key is not None:
                ref = self.cell(key)
                parts.append(ref)
                refs.append(ref)
                continue
            tests, frag = self.piece(arg)
            if not tests and not frag.may_fail:
                parts.append(frag.text)
                always = True
                continue
            value = f"IFERROR({frag.text},{NEUTRAL[name]})" if frag.may_fail else frag.text
            if tests:
                value = f"IF({_any(tests)},{NEUTRAL[name]},{value})"
            parts.append(value)
            missing = tests + ([f"ISERROR({frag.text})"] if frag.may_fail else [])
            failing.append(_any(missing))
        text = f"{name.upper()}({','.join(parts)})"
        if always:
            return _Frag(text, PREC_ATOM, False)
        tests = ([f"COUNT({','.join(refs)})=0"] if refs else []) + failing
        empty = _all(tests)
        blank = f'IF({empty},"",{text})'
        return _Frag(f"IF({empty},NA(),{text})", PREC_ATOM, True, lambda: blank)


def _flatten(node: n.Node, same: Callable[[n.Node], bool]) -> list[n.Node]:
    """Operands of a chain of one associative operation, `a and (b and c)` as [a, b, c]."""
    result: list[n.Node] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current is node or same(current):
            stack.extend(reversed(current.children()))
        else:
            result.append(current)
    return result
