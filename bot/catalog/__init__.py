"""The resource catalogue: what it holds (`model`), reading YAML with line numbers
(`yaml_lines`), validation (`validation`, with the links it accepts in `links`) and loading
a file or an upload (`loading`).

Loading either returns a whole, valid `Catalog` or raises `CatalogError` listing every
problem as `PATH:LINE: message`. A catalogue is never half-loaded.
"""

from bot.catalog.loading import load_catalog, parse_catalog, read_catalog_file
from bot.catalog.model import (
    ID_PATTERN,
    ID_TEXT,
    Catalog,
    CatalogError,
    Localized,
    Problem,
    Resource,
)
from bot.catalog.validation import (
    OPTIONAL_RESOURCE_FIELDS,
    REQUIRED_RESOURCE_FIELDS,
    SUPPORTED_VERSION,
    TOP_LEVEL_FIELDS,
)

__all__ = [
    "ID_PATTERN",
    "ID_TEXT",
    "OPTIONAL_RESOURCE_FIELDS",
    "REQUIRED_RESOURCE_FIELDS",
    "SUPPORTED_VERSION",
    "TOP_LEVEL_FIELDS",
    "Catalog",
    "CatalogError",
    "Localized",
    "Problem",
    "Resource",
    "load_catalog",
    "parse_catalog",
    "read_catalog_file",
]
