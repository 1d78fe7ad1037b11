"""The generic XML form of every batch, turned into the same data as the JSON form.

One rule, guided by the batch's schema: the root element (conventionally `<batch>`) holds the
batch's fields as child elements named like the JSON fields; a list field holds one child per
element (conventionally `<item>`); an object holds its fields; anything else is text. An empty
element is an empty string, or "absent" for an optional field, or an empty list. Namespaces
are ignored. Entities and DTDs are refused (defusedxml), so no XXE or entity expansion.
"""

from __future__ import annotations

import types
import typing
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from pydantic import BaseModel


class XmlError(Exception):
    def __init__(self, message: str, code: str = "malformed_xml") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


# No batch nests deeper than a few levels; a deeper document is an attack or a mistake, and
# would otherwise exhaust the recursion below.
MAX_DEPTH = 32


def _tag(element: Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The annotation without `Annotated` and `| None`, and whether None was allowed."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            arguments = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            optional = optional or len(arguments) < len(typing.get_args(annotation))
            if len(arguments) != 1:
                return annotation, optional
            annotation = arguments[0]
        else:
            return annotation, optional


def _value(element: Element, annotation: Any, depth: int) -> Any:
    annotation, optional = _unwrap(annotation)
    children = list(element)
    origin = typing.get_origin(annotation)
    if origin is list:
        (inner,) = typing.get_args(annotation) or (Any,)
        return [_value(child, inner, depth + 1) for child in children]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _object(element, annotation, depth)
    if origin is dict or annotation is dict:
        return {_tag(child): (child.text or "").strip() for child in children}
    if children:
        return _object(element, None, depth)  # unknown shape: let validation say what is wrong
    text = (element.text or "").strip()
    if not text and optional:
        return None
    return text


def _object(element: Element, model: type[BaseModel] | None, depth: int) -> dict[str, Any]:
    if depth > MAX_DEPTH:
        raise XmlError(f"The XML nests deeper than {MAX_DEPTH} elements.", "xml_too_deep")
    fields = model.model_fields if model is not None else {}
    data: dict[str, Any] = {}
    for child in element:
        name = _tag(child)
        field = fields.get(name)
        if field is None:
            data[name] = (
                (child.text or "").strip() if not len(child) else _object(child, None, depth + 1)
            )
        else:
            data[name] = _value(child, field.annotation, depth + 1)
    return data


def xml_to_data(body: bytes, model: type[BaseModel]) -> dict[str, Any]:
    try:
        root = fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except ParseError as error:
        line, column = error.position[0], error.position[1] + 1  # expat counts from 0
        reason = str(error).split(":", 1)[0]
        raise XmlError(
            f"The body is not well-formed XML: {reason} at line {line}, column {column}."
        ) from error
    except DefusedXmlException as error:
        raise XmlError(
            f"The XML is refused: {error}. DTDs and entities are not allowed.", "xml_not_allowed"
        ) from error
    return _object(root, model, 0)
