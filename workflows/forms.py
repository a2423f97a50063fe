"""Task forms: the fields a task asks for, and the check of what was submitted."""

from .errors import InvalidData


def public_fields(form: dict) -> list[dict]:
    """The form's fields as the API describes them."""
    fields = []
    for spec in form.get("fields", []):
        field = {"name": spec["name"], "type": spec["type"], "required": bool(spec.get("required")),
                 "label": spec.get("label", spec["name"])}
        if "choices" in spec:
            field["choices"] = list(spec["choices"])
        if "required_when" in spec:
            field["required_when"] = spec["required_when"]
        if "role" in spec:
            field["role"] = spec["role"]
        fields.append(field)
    return fields


def clean(form: dict, submitted: dict) -> dict:
    """The submitted values the form knows, checked; raises InvalidData naming every bad field."""
    if not isinstance(submitted, dict):
        raise InvalidData("The form must be a JSON object.")
    specs = {spec["name"]: spec for spec in form.get("fields", [])}
    errors: dict[str, str] = {}
    for name in submitted:
        if name not in specs:
            errors[name] = "Unknown field."
    stripped = {k: v.strip() if isinstance(v, str) else v for k, v in submitted.items()}
    values: dict = {}
    for name, spec in specs.items():
        value = stripped.get(name)
        if value in (None, ""):
            if _is_required(spec, stripped):
                errors[name] = "This field is required" + _when(spec) + "."
            continue
        error = _check_type(spec, value)
        if error:
            errors[name] = error
        else:
            values[name] = value
    if errors:
        raise InvalidData("Some fields are not valid: " + ", ".join(sorted(errors)) + ".", errors)
    return values


def _is_required(spec: dict, submitted: dict) -> bool:
    if spec.get("required"):
        return True
    for other, choices in (spec.get("required_when") or {}).items():
        if submitted.get(other) in choices:
            return True
    return False


def _when(spec: dict) -> str:
    conditions = spec.get("required_when") or {}
    if not conditions:
        return ""
    parts = [f"{field} is {' or '.join(choices)}" for field, choices in conditions.items()]
    return " when " + " and ".join(parts)


def _check_type(spec: dict, value) -> str | None:
    kind = spec["type"]
    if kind == "choice":
        if value not in spec.get("choices", []):
            return f"Choose one of: {', '.join(spec.get('choices', []))}."
    elif kind in ("text", "user"):
        if not isinstance(value, str):
            return "Must be text."
        if len(value) > 10_000:
            return "Must be at most 10,000 characters."
    elif kind == "boolean":
        if not isinstance(value, bool):
            return "Must be true or false."
    return None
