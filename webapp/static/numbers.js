/* Vietnamese numbers in the browser, the mirror of forms/kinds/numbers.py.

   The fill page's live figures must accept exactly what the server accepts and show a computed
   figure exactly as the server shows it; tests/data/number_inputs.json is the one table of
   cases both sides are tested against (tests/forms/kinds/test_kind_number_table.py and
   tests/webapp/test_web_checks_browser.py). Change the Python rule and this file together.

   window.decuong.numbers:
     parse(text, kind, spec)  → {value: number|null, ok: bool}. kind: integer, decimal, percent,
                                money; spec: {min, max, unit} of the item (optional). Empty text
                                is {value: null, ok: true}; a refused text {value: null, ok: false}.
     readNumber(text, kind, spec) → the value, or null for empty or refused text.
     formatNumber(n, d)       → format_number(n, d): 1234.5 → "1.234,5"; rounded to d decimals
                                when d is given (108.3333, 2 → "108,33"), never an exponent.
     formatFigure(n, d)       → a computed figure rounded once to its decimals d (the outline's
                                `decimals:`, default 2), as its input shows it.
     formatComputed(n, kind, d) → the same, then the kind's measure as the server's format writes
                                it (a percent adds " %"). The kinds' rules come from the page's
                                `data-kinds` on this script tag (forms/kinds `browser_rules`).
     roundHalfEven(n, digits) → Python's round(): on the float's exact value, halves to even.
*/
(function () {
  "use strict";

  // Python's str.isspace() characters (JavaScript's \s and trim() differ: U+FEFF, U+001C…).
  var WS = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029" +
           "\\u202f\\u205f\\u3000";
  var INVISIBLE = "\\u200b\\u200c\\u200d\\u2060\\ufeff";
  var MINUS = /[\u2212\u2012\u2013\ufe63\uff0d]/g;
  var HAS_WS = new RegExp("[" + WS + "]");
  var ALL_WS = new RegExp("[" + WS + "]", "g");
  var SIGN = new RegExp("^([+-]?)[" + WS + "]*([\\s\\S]*)$");
  var SPACED = new RegExp("^[0-9]{1,3}(?:[" + WS + "][0-9]{3})+(?:[.,][0-9]+)?$");
  var DIGITS = /^[0-9]+$/;
  var GROUP = /^[1-9][0-9]{0,2}$/;
  var DOT_GROUPS = /^[1-9][0-9]{0,2}(?:\.[0-9]{3})+$/;
  var COMMA_GROUPS = /^[1-9][0-9]{0,2}(?:,[0-9]{3})+$/;
  var VN_MIXED = /^[1-9][0-9]{0,2}(?:\.[0-9]{3})+,[0-9]+$/;
  var EN_MIXED = /^[1-9][0-9]{0,2}(?:,[0-9]{3})+\.[0-9]+$/;
  var MAX_TEXT = 1000;

  // What each number kind adds to the shared reading ({whole, min, max, suffixes, measure}),
  // given by the page from the kinds themselves (forms/kinds `browser_rules`, the script tag's
  // data-kinds): a new number kind needs no change here.
  var script = document.currentScript;
  var KINDS = JSON.parse((script && script.dataset.kinds) || "{}");

  function stripChars(text, chars) {
    return text.replace(new RegExp("^[" + chars + "]+|[" + chars + "]+$", "g"), "");
  }

  function clean(text) {
    return stripChars(stripChars(stripChars(String(text).normalize("NFC"), WS), INVISIBLE), WS);
  }

  // Only the syntax characters: a "u" pattern refuses any other escape.
  function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&"); }

  function stripSuffix(text, suffixes) {
    var seen = {}, words = [];
    suffixes.forEach(function (s) {
      if (s && stripChars(s, WS) && !seen[s]) { seen[s] = true; words.push(s); }
    });
    if (!words.length) return text;
    words.sort(function (a, b) { return b.length - a.length; });
    var pattern = new RegExp("[" + WS + "]*(?:" + words.map(function (w) {
      return escapeRegExp(stripChars(w, WS));
    }).join("|") + ")[" + WS + "]*$", "iu");
    var stripped = text.replace(pattern, "");
    return stripped ? stripped : text;
  }

  // A read number is kept as an exact decimal {neg, whole: "123", frac: "45"} until the end,
  // as the server keeps a Decimal: bounds and the 10^15 limit are compared exactly.
  function decimal(neg, whole, frac) {
    whole = whole.replace(/^0+/, "");
    frac = frac.replace(/0+$/, "");
    return { neg: neg && !!(whole || frac), whole: whole, frac: frac };
  }

  function refused() { throw new Error("not a number"); }

  function point(body, mark) {
    var at = body.indexOf(mark);
    if (at < 0) refused();
    var head = body.slice(0, at), tail = body.slice(at + 1);
    if (tail.indexOf(mark) < 0 && (head === "" || DIGITS.test(head)) && DIGITS.test(tail)) {
      return [head || "0", tail];
    }
    return refused();
  }

  function readBody(body, whole) {
    if (DIGITS.test(body)) return [body, ""];
    var dots = body.split(".").length - 1, commas = body.split(",").length - 1;
    if (!body || !/^[0-9.,]+$/.test(body) || !/[0-9]/.test(body)) refused();
    if (dots && commas) {
      if (VN_MIXED.test(body)) {
        var parts = body.replace(/\./g, "").split(",");
        return [parts[0], parts[1]];
      }
      return refused();  // the English spelling (EN_MIXED) is ambiguous: refused as well
    }
    if (dots) {
      if (DOT_GROUPS.test(body)) return [body.replace(/\./g, ""), ""];
      return point(body, ".");
    }
    if (commas > 1) return refused();  // COMMA_GROUPS is ambiguous, the rest not a number
    var head = body.slice(0, body.indexOf(","));
    var tail = body.slice(body.indexOf(",") + 1);
    if (whole && GROUP.test(head) && tail.length === 3) refused();  // "1,234": ambiguous
    return point(body, ",");
  }

  function readNumberText(text, whole, suffixes) {
    text = stripSuffix(clean(text).replace(MINUS, "-"), suffixes);
    var match = SIGN.exec(text);
    var sign = match[1], body = match[2];
    if (HAS_WS.test(body)) {
      if (!SPACED.test(body)) refused();
      body = body.replace(ALL_WS, "");
    }
    var read = readBody(body, whole);
    return decimal(sign === "-", read[0], read[1]);
  }

  function compare(a, b) {  // exact decimals: -1, 0, 1
    var sa = a.neg ? -1 : 1, sb = b.neg ? -1 : 1;
    var za = !a.whole && !a.frac, zb = !b.whole && !b.frac;
    if (za && zb) return 0;
    if (za) return -sb;
    if (zb) return sa;
    if (sa !== sb) return sa;
    var m = 0;
    if (a.whole.length !== b.whole.length) m = a.whole.length < b.whole.length ? -1 : 1;
    else if (a.whole !== b.whole) m = a.whole < b.whole ? -1 : 1;
    else {
      var n = Math.max(a.frac.length, b.frac.length);
      var fa = (a.frac + "0".repeat(n)).slice(0, n), fb = (b.frac + "0".repeat(n)).slice(0, n);
      if (fa !== fb) m = fa < fb ? -1 : 1;
    }
    return sa * m;
  }

  function fromNumber(n) {  // a JavaScript number as an exact decimal of its shortest digits
    var text = plainDigits(Math.abs(n));
    var parts = text.split(".");
    return decimal(n < 0, parts[0], parts[1] || "");
  }

  var LIMIT = decimal(false, "1000000000000000", "");

  function parse(text, kind, spec) {
    var k = KINDS[kind];
    if (!k) throw new Error("not a number kind: " + kind);
    spec = spec || {};
    if (text === null || text === undefined || clean(text) === "") return { value: null, ok: true };
    if (Array.from(String(text)).length > MAX_TEXT) return { value: null, ok: false };
    var number;
    try {
      number = readNumberText(String(text), k.whole, k.suffixes.concat(spec.unit ? [spec.unit] : []));
    } catch (e) {
      return { value: null, ok: false };
    }
    var magnitude = decimal(false, number.whole, number.frac);
    if (compare(magnitude, LIMIT) > 0) return { value: null, ok: false };
    if (k.whole && number.frac) return { value: null, ok: false };
    var lo = spec.min !== null && spec.min !== undefined ? spec.min : k.min;
    var hi = spec.max !== null && spec.max !== undefined ? spec.max : k.max;
    if (lo !== null && compare(number, fromNumber(lo)) < 0) return { value: null, ok: false };
    if (hi !== null && compare(number, fromNumber(hi)) > 0) return { value: null, ok: false };
    var value = Number((number.neg ? "-" : "") + (number.whole || "0") +
                       (number.frac ? "." + number.frac : ""));
    return { value: value === 0 ? 0 : value, ok: true };
  }

  function readNumber(text, kind, spec) { return parse(text, kind, spec).value; }

  // --- writing -------------------------------------------------------------------------------

  // The shortest digits of a non-negative number without an exponent (Python's repr, then
  // Decimal's "f" format): 1.5e-7 → "0.00000015", 1e21 → "1000000000000000000000".
  function plainDigits(a) {
    var text = String(a);
    var e = text.indexOf("e");
    if (e < 0) return text;
    var mantissa = text.slice(0, e), exponent = parseInt(text.slice(e + 1), 10);
    var dot = mantissa.indexOf(".");
    var digits = mantissa.replace(".", "");
    var point = (dot < 0 ? mantissa.length : dot) + exponent;
    if (point <= 0) return "0." + "0".repeat(-point) + digits;
    if (point >= digits.length) return digits + "0".repeat(point - digits.length);
    return digits.slice(0, point) + "." + digits.slice(point);
  }

  // format_number(value, decimals): rounded first when decimals is given (halves to even on
  // the float's exact value, as Python's round), trailing zeros dropped, never an exponent.
  function formatNumber(n, decimals) {
    if (n === null || n === undefined || typeof n !== "number" || !isFinite(n)) return "";
    if (decimals !== undefined && decimals !== null) n = roundHalfEven(n, decimals);
    var text = plainDigits(Math.abs(n));
    var parts = text.split(".");
    var whole = parts[0], frac = (parts[1] || "").replace(/0+$/, "");
    whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    var out = whole + (frac ? "," + frac : "");
    return n < 0 && out !== "0" ? "-" + out : out;
  }

  // Python's round(x, digits) for a float: the exact binary value rounded, halves to even.
  // toFixed(100) spells the exact value of any double from about 1e-14 up (ECMAScript asks
  // for the exact digits); smaller numbers round to 0 at any decimals a figure is shown with.
  function roundHalfEven(n, digits) {
    if (typeof n !== "number" || !isFinite(n)) return n;
    var a = Math.abs(n);
    if (a >= 1e21) return n;
    var exact = a.toFixed(100);
    var dot = exact.indexOf(".");
    var kept = exact.slice(0, dot) + exact.slice(dot + 1, dot + 1 + digits);
    var next = exact.charAt(dot + 1 + digits), rest = exact.slice(dot + 2 + digits);
    var last = parseInt(kept.charAt(kept.length - 1), 10);
    var up = next > "5" || (next === "5" && (/[1-9]/.test(rest) || last % 2 === 1));
    var units = BigInt(kept) + (up ? 1n : 0n);
    var text = units.toString().padStart(digits + 1, "0");
    var value = Number(text.slice(0, text.length - digits) + "." + text.slice(text.length - digits));
    return n < 0 ? -value : value;
  }

  var RATE_DECIMALS = 2;  // forms/kinds/numbers.py RATE_DECIMALS

  // A computed figure as its input shows it (round_computed): rounded to the item's decimals
  // (the outline's `decimals:`, else 2), without a measure (the page prints it beside).
  function formatFigure(n, decimals) {
    if (n === null || n === undefined || typeof n !== "number" || !isFinite(n)) return "";
    if (decimals === undefined || decimals === null) decimals = RATE_DECIMALS;
    return formatNumber(n, decimals);
  }

  // A computed item as the server shows it (round_computed, then the kind's format): the
  // figure, then the kind's measure when it has one (a percent adds " %").
  function formatComputed(n, kind, decimals) {
    var text = formatFigure(n, decimals), measure = (KINDS[kind] || {}).measure;
    return text && measure ? text + " " + measure : text;
  }

  window.decuong = window.decuong || {};
  window.decuong.numbers = {
    parse: parse,
    readNumber: readNumber,
    formatNumber: formatNumber,
    formatFigure: formatFigure,
    formatComputed: formatComputed,
    roundHalfEven: roundHalfEven,
    KINDS: Object.keys(KINDS)
  };
})();
