-- Schema version 14: what a service record gave from the charitable
-- resources (the ledgers of issue 13): money paid out of a fund to the
-- person's household, goods from a distribution the household is on.
ALTER TABLE case_services ADD COLUMN payment_id INTEGER REFERENCES payments(id);
ALTER TABLE case_services ADD COLUMN distribution_id INTEGER REFERENCES distributions(id);
