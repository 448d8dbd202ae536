FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula (CSV injection: names come from
    public forms)."""
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
