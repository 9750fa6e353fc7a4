"""The public side as a signed static site (issue 23): `civcas publish --static DIR` and
`civcas verify-site DIR`. See docs/publish.md."""

from .build import PublishReport, publish_static
from .filenames import code_of, file_stem, incident_file
from .manifest import SiteCheck, verify_site

__all__ = [
    "PublishReport",
    "SiteCheck",
    "code_of",
    "file_stem",
    "incident_file",
    "publish_static",
    "verify_site",
]
