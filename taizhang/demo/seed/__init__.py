"""The demo township and the scale county, built area by area.

Each module of AREAS adds its area's records: `demo(ctx)` for the demo township of the seed summary and
`scale(ctx, township)` for each township of the scale county, at the demo's rate. Later areas append their
module to AREAS; the figures of reports then come out of these records.
"""

from . import campaigns, orgs, rectify, research, serve, study

AREAS = [orgs, campaigns, study, rectify, research, serve]
