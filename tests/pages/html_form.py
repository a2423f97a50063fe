"""What a browser would send for a form of a page: its fields with their values, as shown."""

from html.parser import HTMLParser


class FormFields(HTMLParser):
    """The successful controls of each POST form of the page: inputs, checked boxes, selected options,
    text areas; submit buttons are left out (the test says which one it presses)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self.fields: list[tuple[str, str]] = []
        self._in_form = False
        self._select = self._textarea = None
        self._text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self._in_form, self.fields = True, []
            self.forms.append(self.fields)
        if not self._in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type", "text") not in ("submit", "button", "checkbox", "radio"):
            self.fields.append((name, attrs.get("value") or ""))
        elif tag == "input" and name and attrs.get("type") in ("checkbox", "radio") and "checked" in attrs:
            self.fields.append((name, attrs.get("value") or "on"))
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append((self._select, attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "form" and self._in_form:
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def form_fields(html: str) -> list[tuple[str, str]]:
    """The fields of the page's main form: the POST form with the most fields (not the sign-out button's)."""
    parser = FormFields()
    parser.feed(html)
    return max(parser.forms, key=len)


def replaced(fields: list[tuple[str, str]], **values) -> list[tuple[str, str]]:
    """The fields with some values changed (names with dots or dashes given as a dict: ``**{"rule-0-kind": ...}``)."""
    return [(name, values[name]) if name in values else (name, value) for name, value in fields]
