"""columns_upsert's array parameters: whole numbers as one literal, anything else as the list."""

from annotator.interchange.bulk_sql import _array_param


def test_whole_numbers_become_one_array_literal():
    assert _array_param([3, 1, 20]) == "{3,1,20}"


def test_a_null_a_boolean_or_text_keeps_the_list():
    """psycopg dumps these (NULL, bool and quoting rules): a literal is only built where it is exact."""
    assert _array_param([1, None]) == [1, None]
    assert _array_param([True, 2]) == [True, 2]
    assert _array_param(["in_progress"]) == ["in_progress"]
