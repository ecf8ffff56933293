"""The page pieces written once in webapp/templates/_macros.html, rendered by the app's own
Jinja environment: what each list page's table and the unit picker look like."""

from __future__ import annotations

from flask import Flask

TABLE = """{% from "_macros.html" import list_table %}
{% call list_table('cards accounts', ['Tên', ('Số', 'num'), ('Thao tác', 'unseen'), ''],
                   id='ds') %}<tr><td>{{ row }}</td></tr>{% endcall %}"""


def render(app: Flask, source: str, **context: object) -> str:
    with app.test_request_context("/"):
        return app.jinja_env.from_string(source).render(**context)


def test_list_table_frames_heads_and_the_callers_rows(app: Flask):
    html = render(app, TABLE, row="<b>VHXH</b>")
    assert '<div class="table-wrap">' in html
    assert '<table class="list cards accounts" id="ds">' in html
    assert ('<thead><tr><th scope="col">Tên</th><th scope="col" class="num">Số</th>'
            '<th scope="col"><span class="sr-only">Thao tác</span></th><th scope="col"></th>'
            '</tr></thead>') in html
    assert "<tbody>" in html and "<tr><td>&lt;b&gt;VHXH&lt;/b&gt;</td></tr>" in html
    assert html.index("<tbody>") < html.index("VHXH") < html.index("</tbody>")


def test_list_table_without_extra_classes_or_id(app: Flask):
    html = render(app, """{% from "_macros.html" import list_table %}"""
                       """{% call list_table('', ['Đợt']) %}{% endcall %}""")
    assert '<table class="list">' in html


def test_unit_checkboxes_tick_the_chosen_and_escape_names(app: Flask):
    source = ('{% from "_macros.html" import unit_checkboxes %}'
              '{{ unit_checkboxes(units, chosen) }}')
    html = render(app, source, units=[{"code": "VHXH", "name": "Phòng <VH>"},
                                      {"code": "KT", "name": "Phòng Kinh tế"}],
                  chosen=["KT"])
    assert ('<input type="checkbox" name="units" value="VHXH"> Phòng &lt;VH&gt; (VHXH)'
            in html)
    assert '<input type="checkbox" name="units" value="KT" checked> Phòng Kinh tế (KT)' in html
    empty = render(app, source, units=[], chosen=[])
    assert "Chưa có đơn vị nào." in empty and 'href="/coordinator/units/"' in empty
