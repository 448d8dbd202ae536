"""The sparkline's geometry: up is more say, a missing reading breaks the line, a lone reading
is still a dot."""

from clients.checkins.charts import SPARK, sparkline


def test_up_is_more_say_and_the_middle_is_about_even():
    spark = sparkline([100, 0, -100])
    assert [dot["y"] for dot in spark["dots"]] == [SPARK["pad"], spark["middle"], 28]


def test_a_missing_reading_breaks_the_line_and_a_lone_reading_is_a_dot():
    spark = sparkline([0, None, 50, 50, None, -50])
    assert len(spark["segments"]) == 1 and len(spark["segments"][0].split()) == 2
    assert len(spark["dots"]) == 4
