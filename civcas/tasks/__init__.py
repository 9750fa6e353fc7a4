"""Volunteer micro-tasks (issue 21): items from the record, redundancy, consensus.

- ``kinds``: the four kinds of task (report, locate, same-person, image), what an item
  of each holds and how an answer is checked and normalised.
- ``consensus``: Dawid–Skene (and one-coin), weighted median, geometric median (numpy).
- ``combine``: a campaign's answers -> one consensus row per item.
- ``items``: items built from the record (draft claims, incidents to locate, linkage
  review pairs, local image files) or read from a CSV.
- ``service``: campaigns, the next item for a volunteer, answers, suggestions.
- ``volunteers``: invitations and sign-up.
- ``progress``: a campaign's progress and its chart.
"""
