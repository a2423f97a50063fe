"""Task forms: the fields a task asks for, and the check of what was submitted.

A field of type ``password`` is an electronic signature: the signer re-enters their
password. Its value is checked by the use case and dropped before anything is stored.
"""

from workflows.errors import InvalidData, Reason

SECRET_TYPES = frozenset({"password"})


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


def clean(form: dict, submitted: dict, *, satisfied=frozenset()) -> dict:
    """The submitted values the form knows, checked; raises InvalidData naming every bad field.

    Fields named in ``satisfied`` were answered another way (a password confirmed once for a
    whole batch) and are not required.
    """
    if not isinstance(submitted, dict):
        raise InvalidData("form.not_an_object")
    specs = {spec["name"]: spec for spec in form.get("fields", [])}
    errors: dict[str, Reason] = {}
    for name in submitted:
        if name not in specs:
            errors[name] = Reason("field.unknown")
    # Passwords are taken exactly as typed: a space may be part of one.
    stripped = {k: v.strip() if isinstance(v, str) and specs.get(k, {}).get("type") not in SECRET_TYPES else v
                for k, v in submitted.items()}
    values: dict = {}
    for name, spec in specs.items():
        value = stripped.get(name)
        if value in (None, ""):
            if name not in satisfied and _is_required(spec, stripped):
                errors[name] = _required(spec)
            continue
        error = _check_type(spec, value)
        if error:
            errors[name] = error
        else:
            values[name] = value
    if errors:
        raise InvalidData("form.invalid", fields=errors, names=sorted(errors))
    return values


def _is_required(spec: dict, submitted: dict) -> bool:
    if spec.get("required"):
        return True
    for other, choices in (spec.get("required_when") or {}).items():
        if submitted.get(other) in choices:
            return True
    return False


def _required(spec: dict) -> Reason:
    conditions = spec.get("required_when") or {}
    if not conditions:
        return Reason("field.required")
    return Reason("field.required_for_choice", when={field: list(choices) for field, choices in conditions.items()})


def _check_type(spec: dict, value) -> Reason | None:
    kind = spec["type"]
    if kind == "choice":
        if value not in spec.get("choices", []):
            return Reason("field.choose_one", choices=list(spec.get("choices", [])))
    elif kind in ("text", "user"):
        if not isinstance(value, str):
            return Reason("field.not_text")
        if len(value) > 10_000:
            return Reason("field.too_long", max=10_000)
    elif kind == "password":
        if not isinstance(value, str) or len(value) > 1000:
            return Reason("field.too_long", max=1000)
    elif kind == "boolean":
        if not isinstance(value, bool):
            return Reason("field.not_boolean")
    return None


def secret_names(form: dict) -> set[str]:
    """The fields whose values must never be stored, logged or shown back."""
    return {spec["name"] for spec in form.get("fields", []) if spec.get("type") in SECRET_TYPES}


def split_secrets(form: dict, values: dict) -> tuple[dict, dict]:
    """(values safe to keep, secret values to check and forget)."""
    names = secret_names(form)
    return ({k: v for k, v in values.items() if k not in names}, {k: v for k, v in values.items() if k in names})
