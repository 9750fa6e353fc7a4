"""The relational schema (SQLAlchemy Core). Migrations in ``migrations/`` create it.

Every imported row is kept verbatim in ``raw_record`` (append-only, one row per distinct
content hash) beside the normalised ``incident`` it produced: nothing is ever lost, and a
re-import of unchanged data finds every hash already present and writes nothing.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

import_batch = Table(
    "import_batch",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_kind", String(40), nullable=False),
    Column("file_name", Text, nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("started_at", DateTime, nullable=False),
    Column("rows_read", Integer, nullable=False, default=0),
    Column("inserted", Integer, nullable=False, default=0),
    Column("updated", Integer, nullable=False, default=0),
    Column("unchanged", Integer, nullable=False, default=0),
    Column("rejected", Integer, nullable=False, default=0),
)

raw_record = Table(
    "raw_record",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_kind", String(40), nullable=False),
    Column("source_id", String(200), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("raw", Text, nullable=False),  # JSON text of the original row, original keys
    Column("import_id", Integer, ForeignKey("import_batch.id"), nullable=True),
    UniqueConstraint("source_kind", "source_id", "content_hash", name="uq_raw_record"),
)

incident = Table(
    "incident",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(200), nullable=False, unique=True),
    Column("source_kind", String(40), nullable=False),
    Column("source_id", String(200), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("raw_id", Integer, ForeignKey("raw_record.id"), nullable=True),
    Column("date_start", Date, nullable=True),
    Column("date_end", Date, nullable=True),
    Column("date_precision", String(10), nullable=False, default="day"),
    Column("month", String(7), nullable=True),  # YYYY-MM of date_start, for fast tallies
    Column("location_en", Text),
    Column("location_ar", Text),
    Column("governorate_en", Text),
    Column("governorate_ar", Text),
    Column("country", Text),
    Column("latitude", Float),
    Column("longitude", Float),
    Column("location_precision", String(20), nullable=False, default="unknown"),
    Column("belligerents", Text),  # "; "-joined canonical names, for display
    Column("strike_type", String(20), nullable=False, default="unknown"),
    Column("grade", String(20), nullable=True),
    Column("grade_reason", Text),
    Column("killed_min", Integer),
    Column("killed_max", Integer),
    Column("injured_min", Integer),
    Column("injured_max", Integer),
    Column("children_killed_min", Integer),
    Column("children_killed_max", Integer),
    Column("women_killed_min", Integer),
    Column("women_killed_max", Integer),
    Column("men_killed_min", Integer),
    Column("men_killed_max", Integer),
    # the assessment of the incident's first suspected belligerent, denormalised so that
    # tallies need no join; the full list is in incident_belligerent
    Column("assessment", String(20), nullable=True),
    Column("conceded_min", Integer),
    Column("conceded_max", Integer),
    Column("named_victims", Integer, nullable=False, default=0),
    Column("summary", Text),
    Column("url", Text),
    Column("published", Boolean, nullable=False, default=True),
    Column("version", Integer, nullable=False, default=1),
    Column("import_id", Integer, ForeignKey("import_batch.id"), nullable=True),
    Column("updated_at", DateTime, nullable=True),
    # 62 bits of SHA-256(code TAB content_hash): the per-record term of the snapshot hash
    # (queries.snapshot_hash), summed in SQL. Derived only from code and content_hash, so
    # a writer that sets either sets it too (writer.row_digest); NULL is allowed and
    # computed at query time (rows written by other tools).
    Column("row_digest", BigInteger, nullable=True),
    # the import that no longer had this incident's source row (issue 16): flagged, not
    # dropped; NULL while the source still has it (a later import that has it clears it)
    Column("withdrawn_import_id", Integer, nullable=True),
    # issue 20: did the belligerent declare a strike there that day (declared, likely,
    # contested, single_source, unknown; NULL: not said). Set by an import or by a person
    # accepting a suggestion of the matcher (civcas.strikes)
    Column("strike_status", String(20), nullable=True),
    # issue 18: the deaths of every kind a conflict-event source reports for the event
    # (ACLED fatalities, GED best), combatants included: kept and shown as such, never
    # counted as civilian deaths (0011_text_columns)
    Column("fatalities_all", Integer, nullable=True),
    UniqueConstraint("source_kind", "source_id", name="uq_incident_source"),
)
Index("ix_incident_date", incident.c.date_start)
Index("ix_incident_governorate", incident.c.governorate_en)
# Covering index of the tally: published first (every tally filters on it), then the
# GROUP BY keys in order (no sort), id (new rows go to the end of their group instead of
# a random place: a third cheaper to keep up during a big import), date_start (date
# filters stay inside the index), the summed columns and the snapshot terms. A tally of
# the whole record reads this index only, never the wide table rows. (It replaced
# ix_incident_month_grade of 0001.)
TALLY_INDEX_COLUMNS = (
    "published",
    "grade",
    "month",
    "assessment",
    "id",
    "date_start",
    "killed_min",
    "killed_max",
    "injured_min",
    "injured_max",
    "children_killed_min",
    "children_killed_max",
    "women_killed_min",
    "women_killed_max",
    "named_victims",
    "version",
    "row_digest",
)
Index("ix_incident_tally", *(incident.c[n] for n in TALLY_INDEX_COLUMNS))
# records without a digest (written by other tools): empty in practice, so finding out
# whether the snapshot must compute some terms itself costs one probe
Index(
    "ix_incident_no_digest",
    incident.c.id,
    sqlite_where=incident.c.row_digest.is_(None),
    postgresql_where=incident.c.row_digest.is_(None),
)

incident_alias = Table(
    "incident_alias",
    metadata,
    Column("incident_id", Integer, ForeignKey("incident.id", ondelete="CASCADE"), primary_key=True),
    Column("alias", String(200), primary_key=True),
)
Index("ix_incident_alias_alias", incident_alias.c.alias)

incident_belligerent = Table(
    "incident_belligerent",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incident.id", ondelete="CASCADE"), nullable=False),
    # names are TEXT (0011_text_columns): real GED sides run to 238 characters
    Column("belligerent", Text, nullable=False),  # canonical, lower-cased key in _key
    Column("belligerent_key", Text, nullable=False),
    Column("role", String(20), nullable=False, default="suspected"),
    Column("assessment", String(20), nullable=False, default="none"),
    Column("deaths_conceded_min", Integer),
    Column("deaths_conceded_max", Integer),
    Column("injuries_conceded_min", Integer),
    Column("injuries_conceded_max", Integer),
    Column("reasons", Text),
    Column("strike_report_url", Text),
    # 'source' (written by an import) or 'team' (added or edited by a person: an import
    # never changes or deletes it); see docs/history.md
    Column("origin", String(10), nullable=False, default="source", server_default="source"),
    Column("withdrawn_import_id", Integer, nullable=True),
)
Index("ix_ib_incident", incident_belligerent.c.incident_id)
Index("ix_ib_key", incident_belligerent.c.belligerent_key, incident_belligerent.c.incident_id)
# conceded sums start from the (few) credible assessments, not from every incident
Index("ix_ib_assessment", incident_belligerent.c.assessment, incident_belligerent.c.incident_id)

statement = Table(
    "statement",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incident.id", ondelete="CASCADE"), nullable=False),
    Column("belligerent", Text, nullable=False),
    Column("date", Date),
    Column("url", Text),
    Column("text", Text),
    # 'source' (written by an import) or 'team' (added or edited by a person: an import
    # never changes or deletes it); see docs/history.md
    Column("origin", String(10), nullable=False, default="source", server_default="source"),
    Column("withdrawn_import_id", Integer, nullable=True),
)
Index("ix_statement_incident", statement.c.incident_id)

source = Table(
    "source",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incident.id", ondelete="CASCADE"), nullable=False),
    Column("url", Text),
    Column("publisher", Text),
    Column("language", String(10)),
    Column("date", Date),
    Column("type", String(30), nullable=False, default="other"),
    Column("title", Text),
    Column("sha256", String(64)),
    # 'source' (written by an import) or 'team' (added or edited by a person: an import
    # never changes or deletes it); see docs/history.md
    Column("origin", String(10), nullable=False, default="source", server_default="source"),
    Column("withdrawn_import_id", Integer, nullable=True),
)
Index("ix_source_incident", source.c.incident_id)

victim = Table(
    "victim",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("incident_id", Integer, ForeignKey("incident.id", ondelete="CASCADE"), nullable=False),
    Column("victim_order", Integer),
    Column("name", Text),  # as given, original script
    Column("name_ar", Text),
    Column("sex", String(10), nullable=False, default="unknown"),
    Column("age", Integer),
    Column("age_group", String(10), nullable=False, default="unknown"),
    Column("status", String(10), nullable=False, default="killed"),
    Column("group_name", Text),
    # 'source' (written by an import) or 'team' (added or edited by a person: an import
    # never changes or deletes it); see docs/history.md
    Column("origin", String(10), nullable=False, default="source", server_default="source"),
    Column("withdrawn_import_id", Integer, nullable=True),
)
Index("ix_victim_incident", victim.c.incident_id)

# Search keys of each victim's names (issue 19, migration 0014): derived from ``victim``
# by the linkage package's keys (civcas.link.name_search) and refreshed when ``source``
# (the names they were made from) no longer matches; see docs/web.md.
victim_name_key = Table(
    "victim_name_key",
    metadata,
    Column("victim_id", Integer, ForeignKey("victim.id", ondelete="CASCADE"), primary_key=True),
    Column("source", Text, nullable=False),
    Column("word_keys", Text, nullable=False),  # " key key ... ": word keys of both scripts
    Column("text", Text, nullable=False),  # normalised spellings, for part-word search
)

# Provenance per field (issue 16, docs/history.md): one row per incident field a person
# changed (origin 'team', the revision that set it) or per source child row a person
# deleted (field "deleted:KIND:KEY"). A field without a row still comes from the source
# row the incident points at. ``source_value`` is the source's value (canonical JSON)
# when the person took the field over, then the last one an import brought: a re-import
# whose value differs from it is a real disagreement (a conflict), one that does not is
# not.
field_provenance = Table(
    "field_provenance",
    metadata,
    Column("incident_id", Integer, ForeignKey("incident.id", ondelete="CASCADE"), primary_key=True),
    Column("field", String(300), primary_key=True),
    Column("origin", String(10), nullable=False, default="team"),
    Column("import_id", Integer, nullable=True),
    Column("revision_seq", Integer, nullable=True),
    Column("source_value", Text, nullable=True),
)

# Source records a person marked as duplicates of another incident: the duplicate's
# incident row is gone, and a re-import of its source row must not bring it back.
merged_source = Table(
    "merged_source",
    metadata,
    Column("source_kind", String(40), primary_key=True),
    Column("source_id", String(200), primary_key=True),
    Column("code", String(200), nullable=False),
    Column("into_id", Integer, ForeignKey("incident.id", ondelete="CASCADE"), nullable=False),
    Column("revision_seq", Integer, nullable=True),
)
