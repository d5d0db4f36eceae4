"""Rows of the access matrix (core/tests/test_access_matrix.py) for the indicator pages: everyone with an
organisation reads the figures of his own scope (the default organisation is his own)."""

TARGETS = {"indicator": lambda cast: {"code": "org.branches"}}

# fmt: off
GET_MATRIX = [
    # url name                     object        root county adm_a sec_a1 sec_a2 adm_b sec_b1 nobody anon
    ("indicators:figures",         None,          200, 200,  200,  200,   200,   200,  200,   404,   302),
    ("indicators:dashboard",       None,          200, 200,  200,  200,   200,   200,  200,   404,   302),
    ("indicators:records",         "indicator",   200, 200,  200,  200,   200,   200,  200,   404,   302),
]
# fmt: on
