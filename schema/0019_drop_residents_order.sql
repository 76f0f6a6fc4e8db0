-- Schema version 19: residents_order goes. residents_walk (sort_key, id,
-- search_text), under the same condition, keeps the same rows in the same
-- order, so every query that walked residents_order walks residents_walk
-- (a few more pages a screen); the register's writes keep one b-tree less
-- (about 1 ms per 1,000 residents of the write ceiling and 37 bytes a
-- resident: `wushe bench --db FILE --ceiling --costs`).
DROP INDEX IF EXISTS residents_order;
