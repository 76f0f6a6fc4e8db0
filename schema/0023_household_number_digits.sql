-- Schema version 23: a 户号 of digits found whatever zeros Excel dropped in
-- front of it (000123 saved as 123) with one search of an index, not by
-- reading every household whose number starts with 0 at each save and
-- each row of an import.
CREATE INDEX households_number_digits ON households(ltrim(number, '0'))
    WHERE deleted_at IS NULL AND number NOT GLOB '*[^0-9]*';
