"""``{% case_panel case "name" vary... %}...{% endcase_panel %}``: a case page's panel that reads
the same for every reader, kept rendered under the case's version (housing_aid.casepage).

What the panel shows must come from the case and lazy context values (querysets, lazy objects),
so that a panel served from the cache reads no row; what it varies on for the reader is named
after the panel's name."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from housing_aid import casepage

register = template.Library()


class CasePanelNode(template.Node):
    def __init__(self, nodelist, case, name, vary):
        self.nodelist = nodelist
        self.case = case
        self.name = name
        self.vary = vary

    def render(self, context):
        case = self.case.resolve(context)
        vary = tuple(v.resolve(context) for v in self.vary)
        html = casepage.panel(case, self.name.resolve(context), vary, lambda: self.nodelist.render(context))
        return mark_safe(html)  # noqa: S308 - the template's own output, escaped when it was drawn


@register.tag
def case_panel(parser, token):
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError('{% case_panel case "name" [vary ...] %}')
    nodelist = parser.parse(("endcase_panel",))
    parser.delete_first_token()
    case, name, *vary = (parser.compile_filter(b) for b in bits[1:])
    return CasePanelNode(nodelist, case, name, vary)
