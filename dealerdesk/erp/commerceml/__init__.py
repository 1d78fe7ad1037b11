"""CommerceML (1C "обмен с сайтом") adapter: a streaming reader that turns CommerceML files into
batches of the ERP resources, and safe unpacking of the zip archives 1C uploads."""

from dealerdesk.erp.commerceml.parser import (
    Chunk,
    CommerceMLError,
    ParsedOrder,
    ParsedOrderLine,
    drop_unknown_products,
    read_document,
    read_orders,
)
from dealerdesk.erp.commerceml.unzip import unpack_zip

__all__ = [
    "Chunk",
    "CommerceMLError",
    "ParsedOrder",
    "ParsedOrderLine",
    "drop_unknown_products",
    "read_document",
    "read_orders",
    "unpack_zip",
]
